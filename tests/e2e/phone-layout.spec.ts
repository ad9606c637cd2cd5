import { expect, test, type Page } from '@playwright/test'

// What a newcomer meets on a phone (360 × 740): the form is in reach from the first screen, and
// inputs are big enough not to zoom on focus and to tap.
test.use({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false })

async function expectJumpToForm(page: Page, path: string, name: string, heading: string) {
  await page.goto(path)
  const jump = page.getByRole('link', { name, exact: true })
  await expect(jump).toHaveAttribute('href', '#act-title')
  await expect(jump).toBeInViewport()
  const target = page.locator('#act-title')
  await expect(target).toHaveText(heading)
  await expect(target).not.toBeInViewport()
  await jump.click()
  await expect(target).toBeInViewport()
}

test('the petition and letter pages link from the first screen to their form', async ({ page }) => {
  await expectJumpToForm(page, '/c/stop-red-notice-detentions', 'Sign', 'Sign the petition')
  await expectJumpToForm(page, '/c/write-congress-red-notices', 'Write', 'Add your name')
  await expectJumpToForm(
    page,
    '/c/stop-red-notice-detentions?lang=es',
    'Firma',
    'Firma la petición',
  )
})

test('the representatives lookup has inputs a phone will not zoom into', async ({ page }) => {
  await page.goto('/representatives')
  const zip = page.getByLabel('ZIP code')
  const box = await zip.boundingBox()
  expect(box?.height).toBeGreaterThanOrEqual(44)
  const fontSize = await zip.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
  expect(fontSize).toBeGreaterThanOrEqual(16)
})
