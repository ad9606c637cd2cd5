import { z } from 'zod'

// The delivery page's forms (client-safe): deliver now, set milestones, mark a packet delivered.

/** "1000, 5,000; 10000" → [1000, 5000, 10000]: thousands may be grouped with "," or ".". */
export const MilestonesText = z
  .string()
  .trim()
  .max(500)
  .transform((text, ctx) => {
    // a comma or period before exactly three digits groups thousands; any other one separates
    let grouped = text
    for (let prev = ''; prev !== grouped;) {
      prev = grouped
      grouped = grouped.replace(/(\d)[,.](\d{3})(?!\d)/, '$1$2')
    }
    const values = grouped
      .split(/[\s,;]+/)
      .filter(Boolean)
      .map(Number)
    if (
      values.some((v) => !Number.isInteger(v) || v < 1 || v > 100_000_000) ||
      values.length > 20
    ) {
      ctx.addIssue({ code: 'custom', message: 'petitionDelivery:admin.errors.milestones' })
      return z.NEVER
    }
    return [...new Set(values)].sort((a, b) => a - b)
  })

export const PetitionDeliveryIntent = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('deliver') }),
  z.object({ intent: z.literal('milestones'), milestones: MilestonesText.optional().default([]) }),
  z.object({
    intent: z.literal('delivered'),
    deliveryId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    note: z.string().trim().max(500).optional(),
  }),
])
