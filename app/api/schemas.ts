import { z } from 'zod'
import { SignSchema } from '#app/signatures/schema'

// The REST API's schemas: the ones that validate requests, and the shapes of responses. The
// OpenAPI document (openapi.server.ts) is generated from these same objects, and the operation
// table below drives both the routes' scope checks and the docs page (ADR 1000).

export const API_SCOPES = [
  'read:campaigns',
  'read:people',
  'read:signatures',
  'read:letters',
  'read:donations',
  'write:signatures',
] as const
export type ApiScope = (typeof API_SCOPES)[number]

export const MAX_LIMIT = 100

/** The /admin/api form and `npm run apikey:create`. */
export const CreateKeyInput = z.object({
  name: z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').max(100),
  scopes: z
    .array(z.enum(API_SCOPES))
    .min(1, 'Choose at least one scope.')
    .transform((s) => [...new Set(s)]),
  rateLimitPerMinute: z.coerce.number().int().min(1).max(100_000).default(600),
})
export type CreateKeyInput = z.output<typeof CreateKeyInput>

// Requests ----------------------------------------------------------------------------------

export const ListQuery = z
  .object({
    after: z
      .string()
      .max(200)
      .optional()
      .meta({ description: 'The `next` cursor of the previous page (opaque).' }),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_LIMIT)
      .default(50)
      .meta({ description: `Rows per page, 1 to ${MAX_LIMIT}.` }),
    updated_since: z.iso
      .datetime({ offset: true })
      .optional()
      .meta({ description: 'Only rows created or changed at or after this time (RFC 3339).' }),
  })
  .strict()

export const UuidParam = z.uuid()

/**
 * POST /campaigns/:id/signatures: the site's sign form as JSON, with the same validation; only
 * `locale` is strict here (the form quietly ignores a bad hidden value, an API client should know).
 */
export const SignatureInput = SignSchema.extend({
  locale: z.enum(['en', 'es']).optional(),
}).meta({
  id: 'SignatureInput',
  description:
    "The same fields and rules as the campaign page's sign form. `locale` picks the confirmation email's language.",
})

// Responses ---------------------------------------------------------------------------------

const timestamp = z.iso.datetime({ offset: true })

export const ErasedRef = z
  .object({ id: z.string(), erased: z.literal(true) })
  .meta({ id: 'Erased', description: 'A supporter who asked to be erased: only the id is kept.' })

export const PersonRef = z.object({ id: z.string() }).meta({ id: 'PersonRef' })

export const Campaign = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    kind: z.enum(['petition', 'letter']),
    status: z.enum(['draft', 'live', 'closed']),
    title: z.string().nullable(),
    summary: z.string().nullable(),
    url: z.string(),
    goal: z.number().int(),
    default_locale: z.string(),
    locales: z.array(z.string()),
    signature_count: z.number().int(),
    confirmed_signature_count: z.number().int(),
    created_at: timestamp,
    updated_at: timestamp,
    published_at: timestamp.nullable(),
    closed_at: timestamp.nullable(),
  })
  .meta({ id: 'Campaign' })

export const Person = z
  .object({
    id: z.uuid(),
    given_name: z.string().nullable(),
    family_name: z.string().nullable(),
    email: z.string().nullable(),
    city: z.string().nullable(),
    state: z.string().nullable(),
    postal_code: z.string().nullable(),
    locale: z.string(),
    email_consent: z
      .object({
        list_opt_in: z.boolean(),
        unsubscribed_at: timestamp.nullable(),
      })
      .meta({ description: 'Consent to list email (double opt-in) and any unsubscribe.' }),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Person' })

export const PersonOrErased = z.union([Person, ErasedRef]).meta({ id: 'PersonOrErased' })

export const Signature = z
  .object({
    id: z.string(),
    campaign_id: z.uuid(),
    person: z.union([PersonRef, ErasedRef]),
    comment: z.string().nullable(),
    anonymous: z.boolean(),
    locale: z.string(),
    source: z.string().nullable(),
    confirmed: z.boolean(),
    confirmed_at: timestamp.nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Signature' })

export const Delivery = z
  .object({
    id: z.string(),
    office_key: z.string(),
    office_name: z.string(),
    office_title: z.string(),
    chamber: z.string().nullable(),
    state: z.string().nullable(),
    district: z.string().nullable(),
    channel: z.enum(['cwc', 'email', 'packet']),
    status: z.string(),
    attempts: z.number().int(),
    created_at: timestamp,
    updated_at: timestamp,
    finished_at: timestamp.nullable(),
  })
  .meta({ id: 'Delivery', description: "One office's copy of a letter, with its status." })

export const Letter = z
  .object({
    id: z.uuid(),
    campaign_id: z.uuid(),
    person: z.union([PersonRef, ErasedRef]),
    signature_id: z.string().nullable(),
    subject: z.string().nullable().meta({ description: 'Null once erased or purged.' }),
    body: z.string().nullable().meta({ description: 'Null once erased or purged.' }),
    locale: z.string(),
    held: z.boolean(),
    deliveries: z.array(Delivery),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Letter' })

export const Donation = z
  .object({
    id: z.uuid(),
    campaign_id: z.uuid().nullable(),
    person: z.union([PersonRef, ErasedRef]).nullable(),
    amount_cents: z.number().int(),
    fee_cover_cents: z.number().int(),
    amount_refunded_cents: z.number().int(),
    currency: z.string(),
    recurring: z.boolean(),
    status: z.string(),
    source: z.string().nullable(),
    created_at: timestamp,
    updated_at: timestamp,
    paid_at: timestamp.nullable(),
    refunded_at: timestamp.nullable(),
  })
  .meta({ id: 'Donation' })

const page = <T extends z.ZodType>(item: T, id: string) =>
  z
    .object({
      data: z.array(item),
      next: z
        .string()
        .nullable()
        .meta({ description: 'Pass as `after` for the next page; null on the last page.' }),
    })
    .meta({ id })

export const CampaignPage = page(Campaign, 'CampaignPage')
export const PersonPage = page(PersonOrErased, 'PersonPage')
export const SignaturePage = page(Signature, 'SignaturePage')
export const LetterPage = page(Letter, 'LetterPage')
export const DonationPage = page(Donation, 'DonationPage')

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ pointer: z.string(), detail: z.string() }))
      .optional()
      .meta({ description: 'For 422: each invalid field, as a JSON Pointer into the body.' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (application/problem+json).' })

// The operations ----------------------------------------------------------------------------

export type ApiOperation = {
  id: string
  method: 'get' | 'post'
  /** OpenAPI style: /campaigns/{id} */
  path: string
  scope: ApiScope
  summary: string
  list?: boolean
  params?: boolean
  body?: z.ZodType
  response: z.ZodType
}

export const API_OPERATIONS: readonly ApiOperation[] = [
  {
    id: 'listCampaigns',
    method: 'get',
    path: '/campaigns',
    scope: 'read:campaigns',
    summary: 'List campaigns',
    list: true,
    response: CampaignPage,
  },
  {
    id: 'getCampaign',
    method: 'get',
    path: '/campaigns/{id}',
    scope: 'read:campaigns',
    summary: 'Get a campaign',
    params: true,
    response: Campaign,
  },
  {
    id: 'listPeople',
    method: 'get',
    path: '/people',
    scope: 'read:people',
    summary: 'List supporters, with their consent state',
    list: true,
    response: PersonPage,
  },
  {
    id: 'getPerson',
    method: 'get',
    path: '/people/{id}',
    scope: 'read:people',
    summary: 'Get a supporter',
    params: true,
    response: PersonOrErased,
  },
  {
    id: 'listSignatures',
    method: 'get',
    path: '/campaigns/{id}/signatures',
    scope: 'read:signatures',
    summary: "List a campaign's signatures",
    list: true,
    params: true,
    response: SignaturePage,
  },
  {
    id: 'createSignature',
    method: 'post',
    path: '/campaigns/{id}/signatures',
    scope: 'write:signatures',
    summary:
      'Record a signature from your own form: validated, deduplicated and confirmed by email as on the site',
    params: true,
    body: SignatureInput,
    response: Signature,
  },
  {
    id: 'listLetters',
    method: 'get',
    path: '/campaigns/{id}/letters',
    scope: 'read:letters',
    summary: "List a campaign's letters, each with its per-office deliveries",
    list: true,
    params: true,
    response: LetterPage,
  },
  {
    id: 'listDonations',
    method: 'get',
    path: '/donations',
    scope: 'read:donations',
    summary: 'List donations',
    list: true,
    response: DonationPage,
  },
]

export function operation(id: string): ApiOperation {
  const op = API_OPERATIONS.find((o) => o.id === id)
  if (!op) throw new Error(`unknown API operation ${id}`)
  return op
}
