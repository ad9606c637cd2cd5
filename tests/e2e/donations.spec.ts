import { expect, test, type Page } from '@playwright/test'
import { expectNoSeriousA11yViolations } from './a11y'
import { waitForMail } from './mail'

// Whole journeys with two axe runs each: on 2 shared cores they can pass the 60 s default.
test.describe.configure({ timeout: 150_000 })

const SLUG = 'stop-red-notice-detentions'
const unique = (name: string) =>
  `${name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.org`

/** "$1,234 raised of $5,000 goal" → 1234 */
async function raisedDollars(page: Page): Promise<number> {
  const text = (await page.getByTestId('donation-total').textContent()) ?? ''
  const match = /\$([\d,]+(?:\.\d\d)?)/.exec(text)
  expect(match, `a dollar amount in "${text}"`).toBeTruthy()
  return Number(match![1].replace(/,/g, ''))
}

async function fillDonor(page: Page, email: string) {
  await page.getByLabel('First name').fill('Ana')
  await page.getByLabel('Last name').fill('Díaz')
  await page.getByLabel('Email').fill(email)
}

test('a one-time gift: choose an amount, pay on the test checkout, get thanked, see the total move', async ({
  page,
}) => {
  const email = unique('once')
  await page.goto(`/c/${SLUG}/donate?source=e2e`)
  await expect(page.getByRole('heading', { level: 1, name: 'Support this campaign' })).toBeVisible()
  await expect(page.getByText(/Test mode — no real money/)).toBeVisible()
  const before = await raisedDollars(page)
  await expectNoSeriousA11yViolations(page)

  await page.getByText('$50', { exact: true }).click()
  await expect(page.getByRole('radio', { name: '$50' })).toBeChecked()
  await fillDonor(page, email)
  await page.getByRole('button', { name: 'Continue to secure payment' }).click()

  await expect(page.getByRole('heading', { name: 'Test checkout' })).toBeVisible()
  await expect(page.getByText('$50.00', { exact: true })).toBeVisible()
  await page.getByRole('button', { name: 'Pay $50.00 (test)' }).click()

  await expect(page).toHaveURL(new RegExp(`/c/${SLUG}/donate/thanks\\?session_id=cs_test_`))
  await expect(
    page.getByRole('heading', { level: 1, name: 'Thank you for your gift' }),
  ).toBeVisible()
  await expect(page.getByText('Your gift of $50 was received.')).toBeVisible()
  expect(await raisedDollars(page)).toBe(before + 50)
  await expectNoSeriousA11yViolations(page)

  await page.goto(`/c/${SLUG}/donate`)
  expect(await raisedDollars(page)).toBe(before + 50)

  const receipt = await waitForMail(email, (m) => /donation receipt/i.test(m.subject))
  expect(receipt.text).toContain('$50')
  expect(receipt.text).toContain('One-time gift')
})

test('a monthly gift: receipt at the SMTP sink, a renewal gets its own receipt, and the donor cancels through the emailed link', async ({
  page,
  request,
}) => {
  const email = unique('monthly')
  await page.goto('/donate')
  await expect(page.getByRole('heading', { level: 1, name: 'Donate' })).toBeVisible()
  await page.getByText('Monthly', { exact: true }).click()
  await page.getByLabel('Other amount in dollars').fill('15')
  await fillDonor(page, email)
  await page.getByRole('button', { name: 'Continue to secure payment' }).click()

  await expect(page.getByText('$15.00', { exact: true })).toBeVisible()
  await expect(page.getByText(/per month/)).toBeVisible()
  const fakeStripe = new URL(page.url()).origin
  await page.getByRole('button', { name: 'Pay $15.00 (test)' }).click()
  await expect(page.getByText('Your monthly gift of $15 has started.')).toBeVisible()
  await expect(page.getByRole('link', { name: /manage my monthly gift/i })).toBeVisible()

  const first = await waitForMail(email, (m) => /monthly donation receipt/i.test(m.subject))
  expect(first.text).toContain('$15')
  expect(first.text).toContain('Monthly gift')
  expect(first.text).toContain('/donate/manage')

  // Next month, Stripe charges again: the fake's test control sends a signed invoice.paid.
  const state = await (await request.get(`${fakeStripe}/test/state`)).json()
  const customer = state.customers.find((c: { email: string }) => c.email === email)
  const subscription = state.subscriptions.find(
    (s: { customer: string }) => s.customer === customer.id,
  )
  const renewed = await request.post(`${fakeStripe}/test/subscriptions/${subscription.id}/renew`)
  expect(renewed.ok()).toBe(true)
  const second = await waitForMail(
    email,
    (m) => /monthly donation receipt/i.test(m.subject) && m.messageId !== first.messageId,
  )
  expect(second.text).toContain('$15')

  // Self-service: a one-time link by email, then the (fake) Billing Portal.
  await page.goto('/donate/manage')
  await expect(
    page.getByRole('heading', { level: 1, name: 'Manage my monthly gift' }),
  ).toBeVisible()
  await expectNoSeriousA11yViolations(page)
  await page.getByLabel('Email').fill(email)
  await page.getByRole('button', { name: 'Email me a link' }).click()
  await expect(
    page.getByText(/If that address has a monthly gift, a link is on its way/),
  ).toBeVisible()
  const linkMail = await waitForMail(email, (m) => /manage your monthly gift/i.test(m.subject))
  const link = /https?:\/\/\S+\/donate\/manage\/[A-Za-z0-9_-]+/.exec(linkMail.text)![0]
  await page.goto(link)
  await page.getByRole('button', { name: 'Open my monthly gift' }).click()
  await expect(page.getByRole('heading', { name: 'Your monthly gifts' })).toBeVisible()
  await page.getByRole('button', { name: 'Cancel this monthly gift' }).click()
  await expect(page.getByText('$15.00 per month — canceled')).toBeVisible()

  // The link was used once; it does not open the portal again.
  await page.goto(link)
  await expect(page.getByText('This link has expired or was already used.')).toBeVisible()
})

test('the donate and thank-you pages read in Spanish and at 360 px', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 })
  await page.goto(`/c/${SLUG}/donate?lang=es`)
  await expect(page.getByRole('heading', { level: 1, name: 'Apoya esta campaña' })).toBeVisible()
  await expect(page.getByText(/Modo de prueba/)).toBeVisible()
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  )
  expect(overflow).toBeLessThanOrEqual(0)
  await expectNoSeriousA11yViolations(page)
  await page.goto('/donate/thanks')
  await expect(
    page.getByRole('heading', { level: 1, name: 'Gracias por tu donación' }),
  ).toBeVisible()
  await expectNoSeriousA11yViolations(page)
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('the donate form posts as a plain form: errors come back, then it reaches checkout and the thank-you', async ({
    page,
  }) => {
    const email = unique('nojs')
    await page.goto(`/c/${SLUG}/donate`)
    const before = await raisedDollars(page)
    await page.getByLabel('Email').fill(email)
    await page.getByRole('button', { name: 'Continue to secure payment' }).click()
    // the server answers 400 with field errors
    await expect(page.getByText('This field is required.').first()).toBeVisible()
    await expect(page.getByLabel('Email')).toHaveValue(email)

    await page.getByText('$25', { exact: true }).click()
    await page.getByLabel('First name').fill('Ana')
    await page.getByLabel('Last name').fill('Díaz')
    await page.getByRole('button', { name: 'Continue to secure payment' }).click()
    await expect(page.getByRole('heading', { name: 'Test checkout' })).toBeVisible()
    await expect(page.getByText('$25.00', { exact: true })).toBeVisible()
    await page.getByRole('button', { name: 'Pay $25.00 (test)' }).click()
    await expect(page.getByText('Your gift of $25 was received.')).toBeVisible()
    expect(await raisedDollars(page)).toBe(before + 25)
  })
})
