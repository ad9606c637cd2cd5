import { z } from 'zod'
import { MERGE_FIELDS } from '#app/letters/merge-fields'

// The organizer's call settings form (scripts per target group and language, target order,
// patch-through, post text). Client-safe; messages are i18n keys.

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'errors.tooLong')
    .optional()
    .transform((v) => v ?? '')

const script = text(5000).refine(
  (v) =>
    [...v.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)].every((m) =>
      (MERGE_FIELDS as readonly string[]).includes(m[1] ?? ''),
    ),
  { message: 'admin:errors.mergeField' },
)

const copy = z.object({
  scriptDefault: script,
  scriptSenate: script,
  scriptHouse: script,
  postText: text(260).refine(
    (v) => [...v.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)].every((m) => m[1] === 'handle'),
    { message: 'calls:settings.errors.postField' },
  ),
})

export const CallSettingsSchema = z.object({
  order: z.enum(['house-first', 'senate-first']),
  patchThrough: z.preprocess((v) => v === 'on', z.boolean()),
  copy: z.object({ en: copy.default({} as never), es: copy.default({} as never) }),
})
export type CallSettingsInput = z.infer<typeof CallSettingsSchema>
