import { z } from 'zod'

export const PrivacySearchSchema = z.object({
  intent: z.literal('search'),
  email: z
    .string({ error: 'errors.required' })
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: 'errors.email' })),
})

export const EraseSupporterSchema = z.object({
  intent: z.literal('erase'),
  supporterId: z.uuid(),
  confirm: z.literal('on', { error: 'admin:errors.confirmErase' }),
})
