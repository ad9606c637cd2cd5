import { z } from 'zod'

// The /admin/safety forms, on the server and in the browser. Messages are i18n keys.

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/
const IPV6 = /^[0-9a-f:.]{2,45}$/i
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i

export const AccessRuleSchema = z
  .object({
    intent: z.literal('add-rule'),
    kind: z.enum(['ip', 'email_domain'], { error: 'errors.required' }),
    value: z.string({ error: 'errors.required' }).trim().toLowerCase().max(255, 'errors.tooLong'),
    action: z.enum(['allow', 'block'], { error: 'errors.required' }),
    note: z.string().trim().max(200, 'errors.tooLong').optional(),
  })
  .superRefine((v, ctx) => {
    const ok =
      v.kind === 'ip'
        ? IPV4.test(v.value) || (v.value.includes(':') && IPV6.test(v.value))
        : DOMAIN.test(v.value)
    if (!ok) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: v.kind === 'ip' ? 'safety:admin.errors.ip' : 'safety:admin.errors.domain',
      })
    }
  })

export const SignatureDecisionSchema = z.object({
  intent: z.enum(['release', 'delete']),
  signatureId: z.string().regex(/^\d{1,18}$/, 'errors.invalid'),
})

export const DeleteRuleSchema = z.object({
  intent: z.literal('delete-rule'),
  ruleId: z.string().regex(/^\d{1,18}$/, 'errors.invalid'),
})
