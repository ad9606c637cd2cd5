import { expect as baseExpect, test, type Page } from '@playwright/test'
import { expectNoSeriousA11yViolations } from './a11y'

// A message per target group (issue 14 §3, ADR 0904): the organizer sees and edits the demo letter
// campaign's three letters, and its preview names the thank-you list, in English and Spanish.

const expect = baseExpect.configure({ timeout: 20_000 })
const EMAIL = 'demo@writ.localhost'
const PASSWORD = 'writ-demo-organizer'
const DEMO_LETTER = 'Write to Congress: no detention on a Red Notice alone'

async function signIn(page: Page) {
  await page.goto('/admin')
  await page.getByLabel('Email').fill(EMAIL)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()
}

test('the demo letter campaign has three groups: the editor shows each, the preview names the thank-you list', async ({
  page,
}) => {
  test.setTimeout(120_000)
  await signIn(page)
  await page.goto('/admin/campaigns')
  await page.getByRole('link', { name: DEMO_LETTER }).first().click()
  await expect(page).toHaveURL(/\/admin\/campaigns\/[0-9a-f-]{36}$/)

  const en = page.getByRole('group', { name: 'Copy in English' })
  await expect(en.getByLabel('Officials’ letter: subject')).toHaveValue(
    'Stop ICE arrests and detentions based solely on INTERPOL Red Notices',
  )
  await expect(en.getByLabel('Officials’ letter', { exact: true })).toHaveValue(
    /^\{\{salutation\}\},/,
  )
  await expect(en.getByLabel('Thank-you letter', { exact: true })).toHaveValue(/thank you/)
  const es = page.getByRole('group', { name: 'Copy in Spanish' })
  await expect(es.getByLabel('Thank-you letter: subject')).toHaveValue(/^Gracias/)
  await expect(page.getByLabel('Thank-you list (bioguide ids)')).toHaveValue(
    'M001176 S001198 S000522 M000312',
  )
  await expect(page.getByLabel('Named officials')).toHaveValue(/\| Dear Mr. or Madam Secretary$/)
  await expectNoSeriousA11yViolations(page)

  await page.getByRole('link', { name: 'Preview', exact: true }).click()
  await expect(page.getByRole('heading', { level: 2, name: 'The officials’ letter' })).toBeVisible()
  await expect(page.getByRole('heading', { level: 2, name: 'The thank-you letter' })).toBeVisible()
  await expect(page.getByText('Dan Sullivan (S001198)')).toBeVisible()
  await expect(
    page.getByText('Secretary of Homeland Security, Secretary (“Dear Mr. or Madam Secretary”)'),
  ).toBeVisible()
  await expectNoSeriousA11yViolations(page)

  await page.goto(`${new URL(page.url()).pathname}?lang=es`)
  await expect(
    page.getByRole('heading', { level: 2, name: 'La carta de agradecimiento' }),
  ).toBeVisible()
  await expect(page.getByText('Jeff Merkley (M001176)')).toBeVisible()
  await expectNoSeriousA11yViolations(page)
})
