import { z } from 'zod'
import { ZIP_PATTERN } from '#app/signatures/schema'

// The call flow's forms, for the server and the browser. Messages are i18n keys.

const required = { error: 'errors.required' }
const name = z.string(required).trim().min(1, 'errors.required').max(80, 'errors.tooLong')
const optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'errors.tooLong')
    .optional()
    .transform((v) => v || undefined)

/** Step 1: who is calling (as signing collects it), and where they live. */
export const CallStartSchema = z.object({
  firstName: name,
  lastName: name,
  email: z
    .string(required)
    .trim()
    .toLowerCase()
    .max(254, 'errors.tooLong')
    .pipe(z.email({ error: 'errors.email' })),
  city: z.string(required).trim().min(1, 'errors.required').max(100, 'errors.tooLong'),
  zip: z
    .string(required)
    .trim()
    .regex(ZIP_PATTERN, 'errors.zip')
    .transform((v) => v.slice(0, 5)),
  /** only needed when the ZIP spans districts */
  street: optional(200),
  /** a district picked from the ZIP's candidates ('WY-0'), or 'senators' */
  district: optional(10),
  optIn: z
    .string()
    .optional()
    .transform((v) => v === 'on'),
})
export type CallStart = z.infer<typeof CallStartSchema>

export const CALL_OUTCOMES = ['reached', 'voicemail', 'busy', 'skipped'] as const
export type CallOutcomeChoice = (typeof CALL_OUTCOMES)[number]

/** One tap after a call. */
export const OutcomeSchema = z.object({
  intent: z.literal('outcome'),
  office: z.string(required).min(1).max(200),
  outcome: z.enum(CALL_OUTCOMES, { error: 'calls:errors.outcome' }),
})

/** "Call me": a US phone number, 10 digits (a leading 1 or +1 is accepted). */
export const CallMeSchema = z.object({
  intent: z.literal('callme'),
  phone: z
    .string(required)
    .trim()
    .max(30, 'errors.tooLong')
    .transform((v) => v.replace(/[\s().-]/g, ''))
    .pipe(z.string().regex(/^(\+?1)?[2-9]\d{2}[2-9]\d{6}$/, 'calls:errors.phone'))
    .transform((v) => `+1${v.slice(-10)}`),
})

export const SOCIAL_NETWORKS = ['x', 'bluesky', 'mastodon'] as const
export type SocialNetworkChoice = (typeof SOCIAL_NETWORKS)[number]

export const PostClickSchema = z.object({
  network: z.enum(SOCIAL_NETWORKS),
  office: z.string().min(1).max(200),
})

/** The step-1 values carried back into the form. */
export type CallStartValues = Partial<Record<keyof CallStart | 'locale', string>>
