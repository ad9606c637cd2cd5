import { z } from 'zod'

// Client-safe form schemas for sign-in and organizer management. Messages are i18n keys.

export const MIN_PASSWORD_LENGTH = 12
export const roles = ['owner', 'organizer', 'viewer'] as const

const email = z
  .string({ error: 'errors.required' })
  .trim()
  .toLowerCase()
  .max(254, { error: 'errors.tooLong' })
  .pipe(z.email({ error: 'errors.email' }))

export const LoginSchema = z.object({
  email,
  password: z.string({ error: 'errors.required' }).max(1000, { error: 'errors.tooLong' }),
  redirectTo: z.string().optional(),
})

export const ForgotPasswordSchema = z.object({ email })

export const ResetPasswordSchema = z
  .object({
    password: z
      .string({ error: 'errors.required' })
      .min(MIN_PASSWORD_LENGTH, { error: 'admin:errors.passwordTooShort' })
      .max(1000, { error: 'errors.tooLong' }),
    confirm: z.string({ error: 'errors.required' }),
  })
  .refine((v) => v.password === v.confirm, {
    error: 'admin:errors.passwordMismatch',
    path: ['confirm'],
  })

export const InviteOrganizerSchema = z.object({
  intent: z.literal('invite'),
  email,
  name: z.string().trim().max(200, { error: 'errors.tooLong' }).default(''),
  role: z.enum(roles, { error: 'admin:errors.role' }),
})

export const ChangeOrganizerSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('role'),
    organizerId: z.uuid(),
    role: z.enum(roles, { error: 'admin:errors.role' }),
  }),
  z.object({ intent: z.literal('disable'), organizerId: z.uuid() }),
  z.object({ intent: z.literal('enable'), organizerId: z.uuid() }),
])

const code = z
  .string({ error: 'errors.required' })
  .trim()
  .min(1, { error: 'errors.required' })
  .max(40, { error: 'errors.tooLong' })

/** The second sign-in step: a 6-digit code or a recovery code. */
export const SecondStepSchema = z.object({ code })

export const TwoFactorSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('confirm'), code }),
  z.object({ intent: z.literal('disable'), code }),
])
