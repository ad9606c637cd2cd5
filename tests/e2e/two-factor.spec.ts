import { randomBytes } from 'node:crypto'
import { generateTOTP } from '@epic-web/totp'
import { hash } from '@node-rs/argon2'
import { expect as baseExpect, test, type Page } from '@playwright/test'
import postgres from 'postgres'
import { expectNoSeriousA11yViolations } from './a11y'

// An owner turns on TOTP two-factor sign-in, signs out, and signs in again with password and code;
// a recovery code works once. The owner is made in SQL (not the demo owner, whom other specs sign
// in as with a password alone).

const expect = baseExpect.configure({ timeout: 20_000 })
const INSPECTOR = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3900) + 1}`
const EMAIL = `totp-owner-${randomBytes(4).toString('hex')}@example.org`
const PASSWORD = 'two factor owner e2e password'

test.beforeAll(async () => {
  const { url } = (await (await fetch(`${INSPECTOR}/database`)).json()) as { url: string }
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    await sql`
      insert into organizers (email, name, role, password_hash)
      values (${EMAIL}, 'TOTP Owner', 'owner', ${await hash(PASSWORD)})`
  } finally {
    await sql.end()
  }
})

/** What the authenticator app shows now. */
async function codeFor(secret: string): Promise<string> {
  return (await generateTOTP({ secret, period: 30, digits: 6, algorithm: 'SHA-1' })).otp
}

/** Each time step's code is accepted once: wait for the app's next code. */
async function nextCode(secret: string): Promise<string> {
  await new Promise((r) => setTimeout(r, 30_000 - (Date.now() % 30_000) + 250))
  return codeFor(secret)
}

async function signInWithPassword(page: Page) {
  await page.goto('/admin/login')
  await page.getByLabel('Email').fill(EMAIL)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page).toHaveURL(/\/admin\/login/)
}

test('an owner enrols TOTP, then signs in with password and code; a recovery code works once', async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000)
  await signInWithPassword(page)
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()

  await page
    .getByRole('navigation', { name: 'Organizer workspace' })
    .getByRole('link', { name: 'Two-factor sign-in' })
    .click()
  await expect(page.getByRole('heading', { level: 1, name: 'Two-factor sign-in' })).toBeVisible()
  await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible()
  await expect(page.locator('.qr-code svg')).toBeVisible()
  await expectNoSeriousA11yViolations(page)
  const secret = (await page.getByTestId('totp-secret').textContent())!.trim()
  expect(secret).toMatch(/^[A-Z2-7]{32}$/)

  await page
    .getByLabel('Code', { exact: true })
    .fill('000000' === (await codeFor(secret)) ? '111111' : '000000')
  await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click()
  await expect(page.getByRole('alert')).toContainText('That code is not right')
  // A fresh page for the right code: after a refused submission the app's forms (the login
  // form too) swallow the next submit in this browser, which is not what this test is about.
  await page.reload()
  await expect(page.getByTestId('totp-secret')).toHaveText(secret)

  await page.getByLabel('Code', { exact: true }).fill(await codeFor(secret))
  await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click()
  await expect(page.getByRole('heading', { level: 2, name: 'Your recovery codes' })).toBeVisible()
  const recoveryCodes = (
    await page.getByRole('list', { name: 'Your recovery codes' }).locator('code').allTextContents()
  ).map((c) => c.trim())
  expect(recoveryCodes).toHaveLength(10)
  await expectNoSeriousA11yViolations(page)
  // Shown once: the page now only says it is on.
  await page.reload()
  await expect(page.getByText('Recovery codes left: 10.')).toBeVisible()
  await expect(page.getByText(recoveryCodes[0])).toHaveCount(0)
  await signOut(page)

  // Password, then the code. The enrolment used this time step, so the app's next code it is.
  await signInWithPassword(page)
  await expect(page).toHaveURL(/\/admin\/login\/two-factor$/)
  await expect(page.getByRole('heading', { level: 1, name: 'Two-factor sign-in' })).toBeVisible()
  await expectNoSeriousA11yViolations(page)
  await page.goto('/admin')
  await expect(page).toHaveURL(/\/admin\/login\?redirectTo=%2Fadmin/)
  await signInWithPassword(page)
  await page.getByLabel('Code', { exact: true }).fill(await nextCode(secret))
  await page.getByRole('button', { name: 'Verify' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()
  await signOut(page)

  // A recovery code, with JavaScript off: plain forms.
  const noJs = await browser.newContext({ javaScriptEnabled: false, baseURL })
  const plain = await noJs.newPage()
  try {
    await signInWithPassword(plain)
    await expect(plain).toHaveURL(/\/admin\/login\/two-factor$/)
    await plain.getByLabel('Code', { exact: true }).fill(recoveryCodes[0])
    await plain.getByRole('button', { name: 'Verify' }).click()
    await expect(plain.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()
    await signOut(plain)

    // The same recovery code a second time is refused.
    await signInWithPassword(plain)
    await plain.getByLabel('Code', { exact: true }).fill(recoveryCodes[0])
    await plain.getByRole('button', { name: 'Verify' }).click()
    await expect(plain.getByRole('alert')).toContainText('That code is not right')
    await expect(plain).toHaveURL(/\/admin\/login\/two-factor$/)
    await expect(plain.getByRole('heading', { level: 1, name: 'Dashboard' })).toHaveCount(0)
  } finally {
    await noJs.close()
  }
})
