import { expect as baseExpect, test, type Page } from '@playwright/test'
import { expectNoSeriousA11yViolations } from './a11y'
import { waitForMail } from './mail'

// Issue 14's petition-delivery journey: a Cheyenne supporter signs the demo petition (opting in
// to updates) and confirms; an organizer delivers it, opens Representative Hageman's packet,
// prints it, and marks every packet delivered; the signer gets the update; the public page says
// "Delivered to N offices on DATE", in English and Spanish.

const expect = baseExpect.configure({ timeout: 20_000 })
const SLUG = 'stop-red-notice-detentions'
const EMAIL = 'demo@writ.localhost'
const PASSWORD = 'writ-demo-organizer'
const SIGNER = {
  first: 'Marisol',
  last: `Deliverytest${Date.now()}`,
  email: `marisol.${Date.now()}@example.org`,
}
const HAGEMAN = 'Representative Harriet M. Hageman'

function confirmLink(text: string) {
  const m = /https?:\/\/\S+\/confirm\/[A-Za-z0-9_-]{43}/.exec(text)
  if (!m) throw new Error(`no confirm link in:\n${text}`)
  return new URL(m[0]).pathname
}

async function signIn(page: Page) {
  await page.goto('/admin/login?lang=en')
  await page.getByLabel('Email').fill(EMAIL)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()
}

test('an organizer delivers the demo petition, prints a packet and marks it delivered; the signer gets the update; the public page shows the delivery', async ({
  page,
  browser,
}) => {
  test.slow()
  // The supporter, in a browser of their own.
  const signerContext = await browser.newContext()
  const signer = await signerContext.newPage()
  await signer.goto(`/c/${SLUG}?lang=en`)
  await signer.getByLabel('First name', { exact: true }).fill(SIGNER.first)
  await signer.getByLabel('Last name', { exact: true }).fill(SIGNER.last)
  await signer.getByLabel('Email', { exact: true }).fill(SIGNER.email)
  await signer.getByLabel('ZIP code', { exact: true }).fill('82001')
  await signer.getByLabel(/email me updates/).check()
  await signer.getByRole('button', { name: 'Sign now' }).click()
  await expect(signer).toHaveURL(/\/thanks\?signed=1/)
  const confirm = await waitForMail(SIGNER.email, (m) => m.subject.includes('Confirm'))
  await signer.goto(confirmLink(confirm.text))
  await signer.getByRole('button', { name: 'Confirm my signature' }).click()
  await expect(
    signer.getByRole('heading', { level: 1, name: 'Your signature is confirmed' }),
  ).toBeVisible()

  // The organizer opens the petition's delivery page from its editor.
  await signIn(page)
  await page.goto('/admin/campaigns')
  await page
    .getByRole('link', { name: /^Edit Stop ICE from jailing asylum seekers/ })
    .first()
    .click()
  await page.getByRole('link', { name: 'Deliver the petition' }).click()
  await expect(
    page.getByRole('heading', { level: 1, name: `Deliver the petition: ${SLUG}` }),
  ).toBeVisible()
  await expectNoSeriousA11yViolations(page)
  const deliveryPath = new URL(page.url()).pathname

  await page.getByRole('button', { name: 'Deliver now' }).click()
  await expect(page.getByRole('status')).toContainText('Delivery started')
  // The worker moves each office without an email address to a packet awaiting hand delivery.
  const hagemanRow = page.getByRole('row', { name: new RegExp(HAGEMAN) }).first()
  await expect(async () => {
    await page.goto(deliveryPath)
    await expect(hagemanRow).toContainText('Awaiting hand delivery', { timeout: 1000 })
  }).toPass({ timeout: 30_000 })
  await expectNoSeriousA11yViolations(page)

  // Open Representative Hageman's packet: the cover letter and only Wyoming's signers.
  const packetHref = await page
    .getByRole('link', { name: `Printable packet for ${HAGEMAN}` })
    .first()
    .getAttribute('href')
  const packet = await page.context().newPage()
  await packet.goto(packetHref!)
  await expect(packet.getByRole('heading', { level: 1 })).toContainText(HAGEMAN)
  await expect(packet.getByText(/of them lives? in your district\./)).toBeVisible()
  await expect(packet.getByRole('cell', { name: SIGNER.last })).toBeVisible()
  await expect(packet.locator('body')).not.toContainText(SIGNER.email)
  // Print it (Chromium's print-to-PDF: the print stylesheet puts the cover on its own page).
  const pdf = await packet.pdf({ format: 'Letter' })
  expect(pdf.subarray(0, 4).toString()).toBe('%PDF')
  await packet.close()

  // Mark every packet of this delivery delivered (other journeys' signers may add offices).
  const markButtons = page.getByRole('button', { name: /^Mark delivered/ })
  for (let left = await markButtons.count(); left > 0; left--) {
    await markButtons.first().click()
    await expect(page.getByRole('status')).toContainText('Marked delivered.')
    await expect(markButtons).toHaveCount(left - 1)
  }
  await expect(hagemanRow).toContainText('Delivered')

  // The signer gets one update for this delivery.
  const update = await waitForMail(SIGNER.email, (m) => m.subject.startsWith('Delivered:'))
  expect(update.subject).toBe(
    'Delivered: Stop ICE from jailing asylum seekers on foreign Red Notices alone',
  )
  expect(update.text).toMatch(/we delivered the petition to \d+ offices?\./)
  expect(update.headers['list-unsubscribe']).toMatch(/unsubscribe/)

  // The public page shows the delivery, in English and in Spanish.
  await expect(async () => {
    await signer.goto(`/c/${SLUG}?lang=en`)
    await expect(signer.getByText(/^Delivered to \d+ offices? on \w+ \d+, \d{4}$/)).toBeVisible({
      timeout: 1000,
    })
  }).toPass({ timeout: 20_000 })
  await expectNoSeriousA11yViolations(signer)
  await signer.goto(`/c/${SLUG}?lang=es`)
  await expect(signer.getByText(/^Entregada a \d+ oficinas? el \d+ de \w+ de \d{4}$/)).toBeVisible()
  await expectNoSeriousA11yViolations(signer)

  // The organizer's page in Spanish.
  await page.goto(`${deliveryPath}?lang=es`)
  await expect(
    page.getByRole('heading', { level: 1, name: `Entregar la petición: ${SLUG}` }),
  ).toBeVisible()
  await expect(page.getByRole('heading', { name: 'Metas' })).toBeVisible()
  await expectNoSeriousA11yViolations(page)
  await page.goto(`${deliveryPath}?lang=en`)
  await signerContext.close()
})
