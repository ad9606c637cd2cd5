import { z } from 'zod'

// Client-safe: the donation form's one schema, used by the route on the server and in the browser.

export const DEFAULT_AMOUNTS = [10, 25, 50, 100] as const
export const DEFAULT_MAX_AMOUNT = 10_000
export const MIN_AMOUNT = 1
/** Stripe refuses a charge above $999,999.99 (its `amount_too_large`). */
export const STRIPE_MAX_CENTS = 99_999_999

export type DonationConfig = {
  enabled: boolean
  amounts: number[]
  maxAmount: number
  showTotal: boolean
  /** Optional goal in dollars for the thermometer. */
  goal?: number
}

/** A campaign's donation_config with defaults filled in and bad values dropped. */
export function normalizeDonationConfig(raw: unknown): DonationConfig {
  const c = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>
  const maxAmount =
    typeof c.maxAmount === 'number' && c.maxAmount >= MIN_AMOUNT
      ? Math.min(c.maxAmount, Math.floor(STRIPE_MAX_CENTS / 100))
      : DEFAULT_MAX_AMOUNT
  const amounts = Array.isArray(c.amounts)
    ? c.amounts.filter(
        (a): a is number =>
          typeof a === 'number' && Number.isInteger(a) && a >= MIN_AMOUNT && a <= maxAmount,
      )
    : []
  return {
    enabled: c.enabled !== false,
    amounts: amounts.length ? amounts.slice(0, 8) : [...DEFAULT_AMOUNTS],
    maxAmount,
    showTotal: c.showTotal === true,
    goal: typeof c.goal === 'number' && c.goal > 0 ? c.goal : undefined,
  }
}

/** "25", "25.5", "$1,000.00" → cents; undefined when it is not a money amount. */
export function parseAmountToCents(input: string): number | undefined {
  const cleaned = input.trim().replace(/^\$/, '').replace(/,/g, '').trim()
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(cleaned)) return undefined
  const [whole, fraction = ''] = cleaned.split('.')
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'))
}

/**
 * The amount a donor pays to cover card fees on top of their gift (Stripe's standard U.S. card
 * rate, 2.9% + 30¢), so that the gift arrives whole: total = (gift + 30) / (1 − 0.029).
 */
export function feeCoverCents(giftCents: number): number {
  return Math.ceil((giftCents + 30) / (1 - 0.029)) - giftCents
}

export const OTHER_AMOUNT = 'other'

/**
 * Field names are fixed by the issue: amount, frequency, email, firstName, lastName, coverFees.
 * The suggested amounts are radio buttons named `amount`; "Other" sends amount=other with the
 * typed value in `customAmount`, folded into `amount` here, so amount=37 also works on its own.
 * A non-empty `customAmount` always wins.
 */
export function createDonationSchema({ maxAmount = DEFAULT_MAX_AMOUNT } = {}) {
  return z.preprocess(
    (value) => {
      if (!value || typeof value !== 'object') return value
      const v = value as Record<string, unknown>
      // A typed amount wins: without JS, the donor may type one and leave a preset checked.
      const typed = typeof v.customAmount === 'string' && v.customAmount.trim() !== ''
      if (v.amount === OTHER_AMOUNT || typed) return { ...v, amount: v.customAmount }
      return v
    },
    z
      .object({
        amount: z
          .string({ error: 'donations:errors.amountRequired' })
          .transform((s, ctx) => {
            const cents = parseAmountToCents(s)
            if (cents === undefined) {
              ctx.addIssue({ code: 'custom', message: 'donations:errors.amountFormat' })
              return z.NEVER
            }
            return cents
          })
          .pipe(
            z
              .number()
              .min(MIN_AMOUNT * 100, 'donations:errors.amountMin')
              .max(maxAmount * 100, 'donations:errors.amountMax'),
          ),
        customAmount: z.string().optional(),
        frequency: z.enum(['once', 'monthly'], { error: 'donations:errors.frequency' }),
        email: z
          .string({ error: 'errors.required' })
          .trim()
          .max(254, 'errors.tooLong')
          .email('errors.email')
          .transform((e) => e.toLowerCase()),
        firstName: z
          .string({ error: 'errors.required' })
          .trim()
          .min(1, 'errors.required')
          .max(100, 'errors.tooLong'),
        lastName: z
          .string({ error: 'errors.required' })
          .trim()
          .min(1, 'errors.required')
          .max(100, 'errors.tooLong'),
        coverFees: z.boolean().optional().default(false),
      })
      .superRefine((form, ctx) => {
        // The gift fits the form's maximum, but the fees on top may not fit Stripe's.
        const total = form.amount + (form.coverFees ? feeCoverCents(form.amount) : 0)
        if (total > STRIPE_MAX_CENTS) {
          ctx.addIssue({
            code: 'custom',
            path: ['amount'],
            message: 'donations:errors.amountAboveProcessorMax',
          })
        }
      }),
  )
}

export type DonationForm = z.infer<ReturnType<typeof createDonationSchema>>

export const ManageRequestSchema = z.object({
  email: z
    .string({ error: 'errors.required' })
    .trim()
    .max(254, 'errors.tooLong')
    .email('errors.email')
    .transform((e) => e.toLowerCase()),
})

/** Formats cents as money in the reader's language: 2500 → "$25" / "25 US$". */
export function formatMoney(cents: number, locale: string, currency = 'usd'): string {
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: currency.toUpperCase(),
    minimumFractionDigits: cents % 100 === 0 ? 0 : 2,
    maximumFractionDigits: 2,
  }).format(cents / 100)
}
