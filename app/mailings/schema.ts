import { z } from 'zod'

// The mailing form (client-safe): one schema for the server and the browser.

const optionalText = (max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().trim().max(max, { error: 'errors.tooLong' }).optional(),
  )

/** "GA, TX" → ["GA", "TX"] */
const stateList = z.preprocess(
  (v) =>
    typeof v === 'string'
      ? v
          .split(/[\s,]+/)
          .map((s) => s.trim().toUpperCase())
          .filter(Boolean)
      : [],
  z
    .array(z.string())
    .max(60, { error: 'errors.tooLong' })
    .refine((list) => list.every((s) => /^[A-Z]{2}$/.test(s)), {
      error: 'admin:mailings.errors.states',
    }),
)

/** "GA-5, ak-al, TX 07" → ["GA-5", "AK-0", "TX-7"], as signatures store state and district. */
const districtList = z.preprocess(
  (v) =>
    typeof v === 'string'
      ? v
          .split(',')
          .map((s) => s.trim().toUpperCase())
          .filter(Boolean)
          .map((s) => {
            const m = /^([A-Z]{2})[\s-]*(\d{1,2}|AL)$/.exec(s)
            return m ? `${m[1]}-${m[2] === 'AL' ? 0 : Number(m[2])}` : s
          })
      : [],
  z
    .array(z.string())
    .max(100, { error: 'errors.tooLong' })
    .refine((list) => list.every((s) => /^[A-Z]{2}-\d{1,2}$/.test(s)), {
      error: 'admin:mailings.errors.districts',
    }),
)

export const MailingSchema = z
  .object({
    intent: z.literal('save'),
    /** a campaign id, or "all" */
    campaign: z.union([z.literal('all'), z.uuid({ error: 'errors.required' })], {
      error: 'errors.required',
    }),
    states: stateList,
    districts: districtList,
    locales: z.preprocess(
      (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
      z.array(z.enum(['en', 'es'], { error: 'errors.invalid' })).max(2),
    ),
    subjectEn: z.string({ error: 'errors.required' }).trim().min(1).max(200),
    bodyEn: z.string({ error: 'errors.required' }).trim().min(1).max(50_000),
    subjectEs: optionalText(200),
    bodyEs: optionalText(50_000),
  })
  .superRefine((v, ctx) => {
    // Spanish is optional, but a Spanish subject without a body (or the reverse) is a mistake.
    if (Boolean(v.subjectEs) !== Boolean(v.bodyEs)) {
      ctx.addIssue({
        code: 'custom',
        path: [v.subjectEs ? 'bodyEs' : 'subjectEs'],
        message: 'admin:mailings.errors.spanishPair',
      })
    }
  })

export type MailingInput = z.infer<typeof MailingSchema>

export const MailingActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('test') }),
  z.object({ intent: z.literal('send') }),
  z.object({ intent: z.literal('cancel') }),
  z.object({
    intent: z.literal('schedule'),
    /** a datetime-local value, read as UTC */
    sendAt: z
      .string({ error: 'errors.required' })
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, { error: 'errors.invalid' }),
  }),
])
