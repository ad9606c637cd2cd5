import { parseWithZod } from '@conform-to/zod/v4'
import { expect, test } from 'vitest'
import {
  createDonationSchema,
  feeCoverCents,
  normalizeDonationConfig,
  parseAmountToCents,
} from './schema'

const errorsOf = (s: { status?: string }) =>
  (s as { error?: Record<string, string[] | null> }).error ?? {}

const form = (fields: Record<string, string>) => {
  const fd = new FormData()
  for (const [k, v] of Object.entries({
    frequency: 'once',
    email: 'Ana@Example.org',
    firstName: 'Ana',
    lastName: 'Díaz',
    ...fields,
  }))
    fd.set(k, v)
  return fd
}

test('amounts parse to cents, and anything else is refused', () => {
  expect(parseAmountToCents('25')).toBe(2500)
  expect(parseAmountToCents('$1,000.5')).toBe(100050)
  expect(parseAmountToCents(' 7.05 ')).toBe(705)
  for (const bad of ['', 'abc', '1.234', '-5', '1e3'])
    expect(parseAmountToCents(bad)).toBeUndefined()
})

test('the schema folds "other" into amount, lowercases email, and enforces min and max', () => {
  const schema = createDonationSchema({ maxAmount: 500 })
  const ok = parseWithZod(form({ amount: 'other', customAmount: '37.50', coverFees: 'on' }), {
    schema,
  })
  expect(ok.status).toBe('success')
  if (ok.status === 'success') {
    expect(ok.value).toMatchObject({ amount: 3750, coverFees: true, email: 'ana@example.org' })
  }
  const typedWins = parseWithZod(form({ amount: '25', customAmount: '40' }), { schema })
  expect(typedWins.status === 'success' && typedWins.value.amount).toBe(4000)
  const tooBig = parseWithZod(form({ amount: '501' }), { schema })
  expect(errorsOf(tooBig).amount).toEqual(['donations:errors.amountMax'])
  const tooSmall = parseWithZod(form({ amount: '0.99' }), { schema })
  expect(errorsOf(tooSmall).amount).toEqual(['donations:errors.amountMin'])
  const badFrequency = parseWithZod(form({ amount: '10', frequency: 'weekly' }), { schema })
  expect(errorsOf(badFrequency).frequency).toEqual(['donations:errors.frequency'])
})

test('covering the fees makes the net gift whole at 2.9% + 30¢', () => {
  for (const gift of [100, 1000, 2500, 10_000, 1_000_000]) {
    const total = gift + feeCoverCents(gift)
    const net = total - Math.round(total * 0.029) - 30
    expect(net).toBeGreaterThanOrEqual(gift)
    expect(net - gift).toBeLessThanOrEqual(1)
  }
})

test('donation_config gets defaults, and bad values are dropped', () => {
  expect(normalizeDonationConfig({})).toEqual({
    enabled: true,
    amounts: [10, 25, 50, 100],
    maxAmount: 10_000,
    showTotal: false,
    goal: undefined,
  })
  expect(
    normalizeDonationConfig({
      amounts: [5, -1, 2.5, 20_000],
      maxAmount: 1000,
      showTotal: true,
      goal: 5000,
    }),
  ).toEqual({ enabled: true, amounts: [5], maxAmount: 1000, showTotal: true, goal: 5000 })
})

test('a gift plus covered fees above Stripe’s maximum is refused with a message, not sent to Stripe', () => {
  const schema = createDonationSchema({ maxAmount: 999_999 })
  const over = parseWithZod(form({ amount: '999999', coverFees: 'on' }), { schema })
  expect(over.status).toBe('error')
  expect(errorsOf(over).amount).toEqual(['donations:errors.amountAboveProcessorMax'])
  // the same gift without the fees fits
  expect(parseWithZod(form({ amount: '999999' }), { schema }).status).toBe('success')
})
