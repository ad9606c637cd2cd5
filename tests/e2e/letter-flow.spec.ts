import { expect, test, type Page } from '@playwright/test'
import { LETTER_FORM_LABELS } from './letter-form-labels'
import { expectNoSeriousA11yViolations } from './a11y'
import { waitForMail } from './mail'

// The supporter's letter flow on /c/:slug against the running app: the fake geocoder places the
// recorded Cheyenne address (WY at large), the in-process worker delivers (House by the fake CWC,
// the named official by email to the SMTP sink), and the receipt arrives at the sink.

const SLUG = 'write-congress-red-notices'
const PAGE = `/c/${SLUG}`
const CUSTOM_EMAIL = 'dhs-secretary@demo.writ.example'

const EN = LETTER_FORM_LABELS.en
const ES = LETTER_FORM_LABELS.es

async function fillAddress(page: Page, email: string, l = EN, { address = true } = {}) {
  await page.getByLabel(l.prefix, { exact: true }).selectOption('Ms.')
  await page.getByLabel(l.first, { exact: true }).fill('Rosa')
  await page.getByLabel(l.last, { exact: true }).fill('Delgado')
  await page.getByLabel(l.email, { exact: true }).fill(email)
  if (!address) return
  await page.getByLabel(l.street, { exact: true }).fill('200 W 24th St')
  await page.getByLabel(l.city, { exact: true }).fill('Cheyenne')
  await page.getByLabel(l.state, { exact: true }).selectOption('WY')
  await page.getByLabel(l.zip, { exact: true }).fill('82001')
}

async function expectFitsWidth(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  expect(width).toBeLessThanOrEqual(360)
}

/** Thank-you → status page: each office reaches a final status, and the receipt arrives. */
async function expectDeliveredAndReceipt(page: Page, email: string, statusLinkName: RegExp) {
  const offices = page.locator('li.card')
  await expect(offices).toHaveCount(4)
  await expect(offices.filter({ hasText: 'Harriet M. Hageman' })).toHaveCount(1)
  await expect(offices.filter({ hasText: 'Secretary of Homeland Security' })).toHaveCount(1)
  await page.getByRole('link', { name: statusLinkName }).click()
  await expect(page).toHaveURL(/\/letters\/[A-Za-z0-9_-]+/)
  await expect(async () => {
    await page.reload()
    await expect(
      page.locator('li.card[data-status="queued"], li.card[data-status="sending"]'),
    ).toHaveCount(0, { timeout: 500 })
  }).toPass({ timeout: 30_000 })
  const receipt = await waitForMail(email, (m) => /receipt|recibo/i.test(m.subject), 30_000)
  expect(receipt.text).toContain('Harriet M. Hageman')
  expect(receipt.text).toContain('Secretary of Homeland Security')
  return receipt
}

test('a constituent writes a letter (JS on): address, offices, letter, send, status, receipt', async ({
  page,
}) => {
  await page.setViewportSize({ width: 360, height: 800 })
  const email = `flow-js-${Date.now()}@example.org`
  await page.goto(PAGE)
  await expect(page.getByText('Step 1 of 2:')).toBeVisible()
  await expectNoSeriousA11yViolations(page)
  await expectFitsWidth(page)

  // a mistake first: the ZIP is wrong, the page says so next to the field
  await fillAddress(page, email)
  await page.getByLabel('ZIP code', { exact: true }).fill('8200')
  await page.getByLabel('ZIP code', { exact: true }).evaluate((el) => el.removeAttribute('pattern'))
  await page.getByRole('button', { name: EN.find }).click()
  const zip = page.getByLabel('ZIP code', { exact: true })
  await expect(zip).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByText('Enter a 5-digit ZIP code')).toBeVisible()
  await zip.fill('82001')
  await page.getByRole('button', { name: EN.find }).click()

  // step 2: the offices, then the letter
  await expect(page.getByText('Step 2 of 2:')).toBeVisible()
  const targets = page.getByTestId('letter-targets')
  await expect(targets.getByRole('listitem')).toHaveCount(4)
  await expect(targets).toContainText('Harriet M. Hageman')
  await expect(targets).toContainText('Secretary of Homeland Security')
  const message = page.getByLabel(EN.message, { exact: true })
  await expect(message).toHaveValue(/\{\{targetName\}\}/)
  await message.fill(
    'Dear {{targetTitle}} {{targetName}},\n\nPlease pass the Transnational Repression Policy Act.\n\n{{firstName}}',
  )
  await expectNoSeriousA11yViolations(page)
  await expectFitsWidth(page)
  await page.getByRole('button', { name: EN.send }).click()

  await expect(page).toHaveURL(new RegExp(`/c/${SLUG}/sent/`))
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'Thank you, Rosa. Your letter is on its way.',
  )
  await expect(page.getByRole('link', { name: 'Make a donation' })).toBeVisible()
  await expectNoSeriousA11yViolations(page)
  await expectFitsWidth(page)

  await expectDeliveredAndReceipt(page, email, /Follow each office/)
  const house = page.getByRole('listitem').filter({ hasText: 'Harriet M. Hageman' })
  await expect(house).toContainText('Delivered')
  await expect(house).toContainText('Accepted by CWC for office HWY00')
  await expectNoSeriousA11yViolations(page)

  // the named official got the organization's letter by email, greeted by name and signed by the
  // writer; the writer's own words went to their legislators (ADR 0904)
  const official = await waitForMail(CUSTOM_EMAIL, (m) => m.text.includes('Rosa'))
  expect(official.text).toContain('Dear Mr. or Madam Secretary,')
  expect(official.text).toContain('Secretary of Homeland Security')
  expect(official.text).not.toContain('Please pass the Transnational Repression Policy Act.')
})

test('a deep link prefills the address and message, and nothing is sent until the supporter acts', async ({
  page,
}) => {
  const email = `flow-deep-${Date.now()}@example.org`
  const query = new URLSearchParams({
    zip: '82001',
    street: '200 W 24th St',
    city: 'Cheyenne',
    state: 'WY',
    message: 'Dear {{targetTitle}} {{targetName}},\n\nA deep-linked letter about Red Notices.',
  })
  await page.goto(`${PAGE}?${query}`)
  await expect(page.getByLabel(EN.street, { exact: true })).toHaveValue('200 W 24th St')
  await expect(page.getByLabel(EN.city, { exact: true })).toHaveValue('Cheyenne')
  await expect(page.getByLabel(EN.state, { exact: true })).toHaveValue('WY')
  await expect(page.getByLabel(EN.zip, { exact: true })).toHaveValue('82001')
  await expectNoSeriousA11yViolations(page)

  await fillAddress(page, email, EN, { address: false })
  await page.getByRole('button', { name: EN.find }).click()
  await expect(page.getByLabel(EN.message, { exact: true })).toHaveValue(
    /A deep-linked letter about Red Notices\./,
  )
  // still nothing sent: the supporter has not pressed Send
  await expect(page).toHaveURL(new RegExp(`/c/${SLUG}\\?`))
  await page.getByRole('button', { name: EN.send }).click()
  await expect(page).toHaveURL(new RegExp(`/c/${SLUG}/sent/`))
})

test('a split ZIP whose address cannot be placed asks for the district; "Senators only" works', async ({
  page,
}) => {
  const email = `flow-pick-${Date.now()}@example.org`
  await page.goto(PAGE)
  await fillAddress(page, email, EN, { address: false })
  await page.getByLabel(EN.street, { exact: true }).fill('999 Nowhere Ln')
  await page.getByLabel(EN.city, { exact: true }).fill('New York')
  await page.getByLabel(EN.state, { exact: true }).selectOption('NY')
  await page.getByLabel(EN.zip, { exact: true }).fill('10001')
  await page.getByRole('button', { name: EN.find }).click()
  await expect(page.getByRole('group', { name: 'Your congressional district' })).toBeVisible()
  await expect(page.getByRole('radio')).toHaveCount(3)
  await expectNoSeriousA11yViolations(page)
  await page.getByLabel("I'm not sure: write to my Senators only").check()
  await page.getByRole('button', { name: 'Continue' }).click()
  await expect(page.getByText('Your letter goes to your Senators only')).toBeVisible()
  const targets = page.getByTestId('letter-targets')
  await expect(targets.getByRole('listitem')).toHaveCount(3)
  await expect(targets).not.toContainText('Representative')
})

test('the Spanish flow, at 360 px', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 800 })
  const email = `flow-es-${Date.now()}@example.org`
  await page.goto(`${PAGE}?lang=es`)
  await expect(page.getByText('Paso 1 de 2:')).toBeVisible()
  await expectNoSeriousA11yViolations(page)
  await fillAddress(page, email, ES)
  await page.getByRole('button', { name: ES.find }).click()
  await expect(page.getByText('Paso 2 de 2:')).toBeVisible()
  await expect(page.getByText('Tu carta va a')).toBeVisible()
  await expect(page.getByLabel(ES.message, { exact: true })).toHaveValue(/Estimado\/a/)
  await expectNoSeriousA11yViolations(page)
  await expectFitsWidth(page)
  await page.getByRole('button', { name: ES.send }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'Gracias, Rosa. Tu carta va en camino.',
  )
  await expect(page.getByRole('link', { name: 'Hacer una donación' })).toBeVisible()
  await expectNoSeriousA11yViolations(page)
  await expectFitsWidth(page)
  const receipt = await expectDeliveredAndReceipt(page, email, /Sigue el estado/)
  expect(receipt.subject).toContain('Recibo')
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('a constituent writes a letter with plain form posts and sees each office’s status', async ({
    page,
  }) => {
    const email = `flow-nojs-${Date.now()}@example.org`
    await page.goto(PAGE)
    await fillAddress(page, email)
    await page.getByRole('button', { name: EN.find }).click()
    await expect(page.getByText('Step 2 of 2:')).toBeVisible()
    await expect(page.getByTestId('letter-targets').getByRole('listitem')).toHaveCount(4)
    await page.getByRole('button', { name: EN.send }).click()
    await expect(page).toHaveURL(new RegExp(`/c/${SLUG}/sent/`))
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      'Thank you, Rosa. Your letter is on its way.',
    )
    await expectDeliveredAndReceipt(page, email, /Follow each office/)
  })
})
