import { expect as baseExpect, test } from '@playwright/test'
import { expectNoSeriousA11yViolations } from './a11y'

// The ladder editor and its conversion, through the real UI, on the seeded demo ladder
// (petition → letter campaign → donate).

const expect = baseExpect.configure({ timeout: 20_000 })

test('an organizer reads and edits the petition’s next asks; the dashboard shows each step’s conversion', async ({
  page,
}) => {
  test.slow()
  await page.goto('/admin/login')
  await page.getByLabel('Email').fill('demo@writ.localhost')
  await page.getByLabel('Password').fill('writ-demo-organizer')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()

  // A visitor's thank-you page counts the first step as shown (no one is identified).
  await page.goto('/c/stop-red-notice-detentions/thanks?signed=1&code=abcdefgh')
  await expect(
    page.getByTestId('next-ask').getByRole('link', { name: 'Write your legislators' }),
  ).toHaveAttribute('href', '/c/write-congress-red-notices')

  await page.goto('/admin/campaigns')
  await page
    .getByRole('link', { name: /Stop ICE from jailing/ })
    .first()
    .click()
  await page.getByRole('link', { name: 'Next asks' }).click()
  const table = page.getByTestId('ladder-conversion')
  await expect(table.getByRole('row')).toHaveCount(3)
  await expect(table.getByRole('row').nth(1)).toContainText(
    'Write your legislators (write-congress-red-notices)',
  )
  const shown = Number(
    (await table.getByRole('row').nth(1).getByRole('cell').first().innerText()).trim(),
  )
  expect(shown).toBeGreaterThanOrEqual(1)
  await expectNoSeriousA11yViolations(page)

  await page.getByLabel('Follow-up email after (hours)').fill('48')
  await page.getByLabel('Title (English)').nth(1).fill('Chip in for the next hearing')
  await page.getByRole('button', { name: 'Save next asks' }).click()
  await expect(page.getByText('Next asks saved.')).toBeVisible()
  await expect(page.getByLabel('Follow-up email after (hours)')).toHaveValue('48')
  await expect(table.getByRole('row').nth(2)).toContainText('Chip in for the next hearing')
  // The step kept its row: its counter survived the edit.
  await expect(table.getByRole('row').nth(1).getByRole('cell').first()).toHaveText(String(shown))

  // A campaign step needs its campaign: a 400 with the error at the field.
  await page.getByLabel('Kind').nth(2).selectOption('campaign')
  await page.getByLabel('Title (English)').nth(2).fill('Call the Senate')
  await page.getByRole('button', { name: 'Save next asks' }).click()
  await expect(page.getByText('Choose the campaign this ask points to.')).toBeVisible()

  // The campaign's dashboard shows the same conversion.
  await page.goto(page.url().replace(/\/ladder(\?.*)?$/, '/metrics'))
  await expect(page.getByRole('heading', { name: 'How the asks convert' })).toBeVisible()
  await expect(page.getByTestId('ladder-conversion').getByRole('row')).toHaveCount(3)
})
