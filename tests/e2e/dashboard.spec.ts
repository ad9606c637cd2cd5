import { expect as baseExpect, test, type Page } from '@playwright/test'
import { expectNoSeriousA11yViolations } from './a11y'

// The machine is shared and slow: give the UI more than the default 5 s to settle.
const expect = baseExpect.configure({ timeout: 20_000 })

// The development demo owner, seeded by the harness (see app/organizers/organizers.server.ts).
const EMAIL = 'demo@writ.localhost'
const PASSWORD = 'writ-demo-organizer'

async function signIn(page: Page) {
  await page.goto('/admin')
  await page.getByLabel('Email').fill(EMAIL)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()
}

/** The long tables that start folded in a <details> under their charts. */
const FOLDED = ['hourly', 'daily']

/** Opens the folded tables, after checking that they start closed. */
async function unfoldTables(page: Page) {
  for (const id of FOLDED) {
    const details = page.locator('details', { has: page.locator(`table#${id}`) })
    await expect(details).not.toHaveAttribute('open')
    await details.locator('summary').click()
    await expect(details).toHaveAttribute('open')
  }
}

/** The dashboard sections every metrics page shows, each as a named table. */
const TABLES = [
  /^From page views to donations/,
  /^Signatures per hour over the last 48 hours/,
  /^Signatures per day over the last 30 days/,
  /^Top sources/,
  /^Top referring sites/,
  /^Referral leaderboard/,
  /^Signatures by state/,
  /^Signatures by congressional district/,
  /^Letters per office by delivery status/,
  /^Failed and stuck letters/,
  /^Donations/,
]

test('the organizer dashboards show every metric as a table and pass axe', async ({ page }) => {
  test.setTimeout(180_000)
  // Hydration must match the server's HTML (a mismatch makes React re-render the page, and a
  // click in that moment is lost), and nothing may break the CSP.
  const problems: string[] = []
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`)
  })
  await signIn(page)
  await unfoldTables(page)
  for (const name of TABLES) await expect(page.getByRole('table', { name })).toBeVisible()
  const funnel = page.getByRole('table', { name: /^From page views to donations/ })
  for (const step of [
    'Page views',
    'Signatures',
    'Confirmed',
    'Letters sent',
    'Letters delivered',
    'Donations',
  ]) {
    await expect(funnel.getByRole('rowheader', { name: step, exact: true })).toBeVisible()
  }
  await expectNoSeriousA11yViolations(page)

  // one campaign's dashboard, from its row in the totals table
  await page
    .getByRole('link', { name: /^Metrics: / })
    .first()
    .click()
  await expect(page.getByRole('heading', { level: 1, name: /^Metrics: / })).toBeVisible()
  await unfoldTables(page)
  for (const name of TABLES) await expect(page.getByRole('table', { name })).toBeVisible()
  await expectNoSeriousA11yViolations(page)

  // in Spanish too
  const url = new URL(page.url())
  url.searchParams.set('lang', 'es')
  await page.goto(url.toString())
  await expect(page.getByRole('table', { name: /^De las visitas a las donaciones/ })).toBeVisible()
  // the client has hydrated (a link navigates without a reload) and nothing went wrong on the way
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1))
  await page.getByRole('link', { name: 'Panel', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Panel' })).toBeVisible()
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1)
  expect(problems).toEqual([])
})
