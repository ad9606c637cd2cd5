import { expect as baseExpect, test, type Page } from '@playwright/test'
import postgres from 'postgres'
import { expectNoSeriousA11yViolations } from './a11y'
import { waitForMail } from './mail'

// Issue 16's mailing journey through the real UI: a Spanish-speaking supporter signs and asks for
// updates; the organizer writes a mailing in English and Spanish, previews it, sends a test to
// themself and sends it to the petition's supporters; the supporter gets it in Spanish with
// RFC 8058 headers and unsubscribes in one click; a second mailing skips them and still reaches
// an English-speaking supporter.

const expect = baseExpect.configure({ timeout: 20_000 })
const INSPECTOR = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3900) + 1}`
const EMAIL = 'demo@writ.localhost'
const PASSWORD = 'writ-demo-organizer'
const SLUG = 'stop-red-notice-detentions'
const run = Date.now().toString(36)
const ROSA = `rosa.${run}@example.org`
const TOM = `tom.${run}@example.org`

test.beforeAll(async () => {
  // An English-speaking supporter who confirmed and opted in long ago (arranged in SQL).
  const { url } = (await (await fetch(`${INSPECTOR}/database`)).json()) as { url: string }
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    await sql`
      with s as (insert into supporters (email, locale, list_opt_in) values (${TOM}, 'en', true)
                 returning id)
      insert into signatures (campaign_id, supporter_id, ref_code, confirmed_at)
      select c.id, s.id, ${`tom-${run}`}, now() from campaigns c, s where c.slug = ${SLUG}`
  } finally {
    await sql.end()
  }
})

async function signIn(page: Page) {
  await page.goto('/admin/login')
  await page.getByLabel('Email').fill(EMAIL)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()
}

async function composeAndSend(page: Page, subjectEn: string, subjectEs: string) {
  await page.goto('/admin/mailings')
  await page.getByRole('link', { name: 'New mailing' }).click()
  const select = page.getByLabel('Send to supporters of')
  const value = await select.locator('option', { hasText: `(${SLUG})` }).getAttribute('value')
  await select.selectOption(value!)
  await page.getByLabel('Subject (English)').fill(subjectEn)
  await page
    .getByLabel('Message (English)')
    .fill(
      'The hearing is **Tuesday**.\n\n[Read the bill](https://www.congress.gov/bill/119th-congress/house-bill/4829)',
    )
  await page.getByLabel('Subject (Spanish, optional)').fill(subjectEs)
  await page
    .getByLabel('Message (Spanish, optional)')
    .fill('La audiencia es el **martes**.\n\n<img src="https://tracker.example/p.gif">')
  await page.getByRole('button', { name: 'Save and preview' }).click()
  await expect(page.getByRole('heading', { level: 1, name: subjectEn })).toBeVisible()
}

test('an organizer mails supporters in both languages; one unsubscribes in one click; the next mailing skips them', async ({
  page,
  browser,
}) => {
  test.slow()
  // Rosa signs in Spanish and asks for updates, then confirms.
  const supporter = await browser.newContext()
  const rosa = await supporter.newPage()
  await rosa.goto(`/c/${SLUG}?lang=es`)
  await rosa.getByLabel('Nombre', { exact: true }).fill('Rosa')
  await rosa.getByLabel('Apellido', { exact: true }).fill('Delgado')
  await rosa.getByLabel('Correo electrónico', { exact: true }).fill(ROSA)
  await rosa.getByLabel('Código postal (ZIP)', { exact: true }).fill('82001')
  await rosa.getByLabel(/envíenme por correo novedades/).check()
  await rosa.getByRole('button', { name: 'Firmar ahora' }).click()
  await expect(rosa).toHaveURL(/\/thanks\?signed=1/)
  const confirm = await waitForMail(ROSA)
  await rosa.goto(
    new URL(/https?:\/\/\S+\/confirm\/[A-Za-z0-9_-]{43}/.exec(confirm.text)![0]).pathname,
  )
  await rosa.getByRole('button', { name: 'Confirmar mi firma' }).click()
  await expect(rosa).toHaveURL(/\/thanks\?confirmed=1/)

  // The organizer writes, previews and test-sends.
  await signIn(page)
  await composeAndSend(page, `Hearing on Tuesday ${run}`, `Audiencia el martes ${run}`)
  const preview = page.getByRole('region', { name: 'Preview in Spanish' })
  await expect(preview.getByRole('heading', { name: `Audiencia el martes ${run}` })).toBeVisible()
  await expect(preview.locator('strong')).toHaveText('martes')
  // The pasted tracking image is gone from what supporters would get.
  await expect(preview.locator('img')).toHaveCount(0)
  await expect(
    page
      .getByRole('region', { name: 'Preview in English' })
      .getByRole('link', { name: 'Read the bill' }),
  ).toHaveAttribute('href', 'https://www.congress.gov/bill/119th-congress/house-bill/4829')
  const count = Number((await page.getByTestId('audience-count').innerText()).replace(/\D/g, ''))
  expect(count).toBeGreaterThanOrEqual(2)
  await expectNoSeriousA11yViolations(page)
  await page.getByRole('button', { name: `Send a test to ${EMAIL}` }).click()
  await expect(
    page.getByText(`A test copy in each language is on its way to ${EMAIL}.`),
  ).toBeVisible()
  const testCopy = await waitForMail(EMAIL, (m) => m.subject === `[Test] Hearing on Tuesday ${run}`)
  expect(testCopy.html).toContain('<strong>Tuesday</strong>')
  await waitForMail(EMAIL, (m) => m.subject === `[Prueba] Audiencia el martes ${run}`)

  await page.getByRole('button', { name: 'Send now' }).click()
  await expect(page.getByText(/The mailing is on its way to \d+ supporters\./)).toBeVisible()

  // Rosa gets it in Spanish, with one-click unsubscribe headers and a visible link.
  const mail = await waitForMail(ROSA, (m) => m.subject === `Audiencia el martes ${run}`, 45_000)
  expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click')
  const link = /^<(https?:\/\/[^>]+)>$/.exec(mail.headers['list-unsubscribe']!)![1]!
  expect(mail.html).toContain(`href="${link}"`)
  expect(mail.text).toContain('Darte de baja con un clic')
  expect(mail.html).not.toContain('tracker.example')
  await waitForMail(TOM, (m) => m.subject === `Hearing on Tuesday ${run}`, 45_000)

  // One click in the email, one button on the page.
  await rosa.goto(new URL(link).pathname)
  await rosa.getByRole('button', { name: 'Darme de baja' }).click()
  await expect(rosa.getByRole('status')).toContainText('Te diste de baja')
  await supporter.close()

  // The results count the unsubscribe.
  await page.reload()
  await expect(page.getByTestId('mailing-stats')).toContainText(/Unsubscribed within 7 days\s*1/)

  // A second mailing reaches Tom and skips Rosa.
  await composeAndSend(page, `Thank you ${run}`, `Gracias ${run}`)
  await page.getByRole('button', { name: 'Send now' }).click()
  await expect(page.getByText(/The mailing is on its way to \d+ supporters\./)).toBeVisible()
  await waitForMail(TOM, (m) => m.subject === `Thank you ${run}`, 45_000)
  const all = (await (
    await fetch(`${INSPECTOR}/messages?to=${encodeURIComponent(ROSA)}`)
  ).json()) as Array<{
    subject: string
  }>
  expect(all.map((m) => m.subject)).not.toContain(`Gracias ${run}`)
  expect(all.map((m) => m.subject)).not.toContain(`Thank you ${run}`)
})
