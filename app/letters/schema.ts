import { z } from 'zod'

// The supporter's letter form: one schema for the server and the browser (client-safe: no db/).
// Messages are i18n keys, translated by ErrorList.

/**
 * CWC 2.0 accepts only a fixed list of constituent prefixes. See
 * docs/decisions/0301-letters-and-merge-fields.md.
 */
export const CWC_PREFIXES = ['Mr.', 'Mrs.', 'Ms.', 'Miss', 'Mx.', 'Dr.', 'Rev.', 'Hon.'] as const
export type CwcPrefix = (typeof CWC_PREFIXES)[number]

/** States, DC and the territories with a delegate (CWC's StateAbbreviation values). */
export const US_STATES = [
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA',
  'KS', 'KY', 'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM',
  'NY', 'NC', 'ND', 'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA',
  'WV', 'WI', 'WY', 'AS', 'GU', 'MP', 'PR', 'VI',
] as const // prettier-ignore

const trimmed = (max: number) =>
  z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').max(max, 'errors.tooLong')

export const constituentFields = {
  prefix: z.enum(CWC_PREFIXES, { error: 'letters:errors.prefix' }),
  firstName: trimmed(100),
  lastName: trimmed(100),
  email: z
    .string({ error: 'errors.required' })
    .trim()
    .toLowerCase()
    .max(254, 'errors.tooLong')
    .pipe(z.email({ error: 'errors.email' })),
  street: trimmed(200),
  city: trimmed(100),
  state: z
    .string({ error: 'errors.state' })
    .trim()
    .toUpperCase()
    .pipe(z.enum(US_STATES, { error: 'errors.state' })),
  // ZIP+4 is accepted and stored as the 5-digit ZIP (what the offices and CWC key on).
  zip: z
    .string({ error: 'errors.required' })
    .trim()
    .regex(/^[0-9]{5}(-?[0-9]{4})?$/, 'errors.zip')
    .transform((v) => v.slice(0, 5)),
}

export const constituentSchema = z.object(constituentFields)
export type Constituent = z.infer<typeof constituentSchema>

/**
 * The form for a campaign. When the letter is editable, `subject` and `message` are required and
 * bounded by the campaign's letter_max_length; otherwise they are not fields at all.
 */
export function letterFormSchema({
  editable,
  maxLength,
}: {
  editable: boolean
  maxLength: number
}) {
  if (!editable) return z.object(constituentFields)
  return z.object({
    ...constituentFields,
    subject: trimmed(200),
    message: z
      .string({ error: 'errors.required' })
      .trim()
      .min(20, 'letters:errors.messageTooShort')
      .max(maxLength, 'letters:errors.messageTooLong'),
  })
}
export type LetterForm = z.infer<ReturnType<typeof letterFormSchema>> & {
  subject?: string
  message?: string
}

// ---------------------------------------------------------------------------------------------
// The letter flow's steps (app/routes/c.$slug/letter-steps.server.ts), as the page renders them.

/** The "district" choice that means: write to my Senators only. */
export const SENATORS_ONLY = 'senators'

/** Every text field the flow carries from step to step (as hidden inputs). */
export const FLOW_TEXT_FIELDS = [
  'prefix',
  'firstName',
  'lastName',
  'email',
  'street',
  'city',
  'state',
  'zip',
  'subject',
  'message',
  'district',
  // a deep link's ?district= (ADR 0907); unlike `district`, never an error when it does not apply
  'linkDistrict',
  'locale',
  'source',
  'ref',
  'utmSource',
  'utmMedium',
  'utmCampaign',
  'utmTerm',
  'utmContent',
  'referrerHost',
] as const
export type FlowField = (typeof FLOW_TEXT_FIELDS)[number]
export type FlowValues = Partial<Record<FlowField | 'optIn', string>>
/** Field name → i18n keys ('' is the form's own error). */
export type FlowErrors = Record<string, string[]>

/** An office as the supporter sees it before sending. */
export type ShownTarget = {
  officeKey: string
  name: string
  title: string
  chamber: 'house' | 'senate' | 'state_upper' | 'state_lower' | null
  state: string | null
  district: string | null
  party: string | null
  photoUrl: string | null
  vacant: boolean
}

export type FlowState = {
  step: 'address' | 'pick' | 'letter'
  values: FlowValues
  errors: FlowErrors
  shown?: ShownTarget[]
  candidates?: Array<{ value: string; state: string; district: string; name: string | null }>
  senatorsOnly?: boolean
  /** why the lookup needed help (targets' reasons), or 'senatorsOnly' */
  reason?: string
  note?: string
}
