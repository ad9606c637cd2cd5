import { expect, test } from '@playwright/test'
import { expectNoSeriousA11yViolations } from './a11y'
import { E2E_ADDRESSES } from './fakes'

test('a ZIP in one at-large district shows the House member and both Senators', async ({
  page,
}) => {
  await page.goto('/representatives')
  await expect(
    page.getByRole('heading', { level: 1, name: 'Find your representatives' }),
  ).toBeVisible()
  await expectNoSeriousA11yViolations(page)
  await page.getByLabel('ZIP code').fill('82001')
  await page.getByRole('button', { name: 'Find my representatives' }).click()
  await expect(page.getByRole('heading', { level: 2, name: 'Your representatives' })).toBeVisible()
  for (const name of ['Harriet M. Hageman', 'John Barrasso', 'Cynthia M. Lummis']) {
    await expect(page.getByRole('heading', { level: 3, name })).toBeVisible()
  }
  await expect(page.getByText('U.S. Representative · WY, at large')).toBeVisible()
  await expect(page.getByText(/Data as of: Congress Jun 15, 2026/)).toBeVisible()
  await expectNoSeriousA11yViolations(page)
})

test('a ZIP across two districts asks for the street address, which resolves it', async ({
  page,
}) => {
  await page.goto('/representatives?zip=10001')
  await expect(page.getByText('Your ZIP code crosses congressional districts.')).toBeVisible()
  await expect(page.getByRole('heading', { name: 'Your U.S. Senators' })).toBeVisible()
  await expectNoSeriousA11yViolations(page)
  await page.getByLabel('Street address').fill(E2E_ADDRESSES.ny12.replace(' 10001', ''))
  await page.getByRole('button', { name: 'Find by address' }).click()
  await expect(page.getByRole('heading', { level: 3, name: 'Jerrold Nadler' })).toBeVisible()
  await expect(page.getByText('U.S. Representative · NY, District 12')).toBeVisible()
  await expect(page.getByRole('heading', { name: 'Daniel S. Goldman' })).toHaveCount(0)
})

test('the page reads at 360 px and in Spanish', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 })
  await page.goto('/representatives?zip=10001&lang=es')
  await expect(
    page.getByRole('heading', { level: 1, name: 'Encuentra a tus representantes' }),
  ).toBeVisible()
  await expect(
    page.getByText('Tu código postal cruza varios distritos del Congreso.'),
  ).toBeVisible()
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  )
  expect(overflow).toBeLessThanOrEqual(0)
  await expectNoSeriousA11yViolations(page)
  await page.goto('/representatives?lang=en')
})

test('GET /api/representatives?zip=82001 has the documented shape', async ({ request }) => {
  const response = await request.get('/api/representatives?zip=82001')
  expect(response.status()).toBe(200)
  const body = await response.json()
  expect(body.status).toBe('resolved')
  expect(body.representatives).toHaveLength(3)
  expect(body.representatives.every((r: { bioguideId?: string }) => r.bioguideId)).toBe(true)
  expect((await request.get('/api/representatives?zip=12')).status()).toBe(400)
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('pick a candidate district for a two-district ZIP', async ({ page }) => {
    await page.goto('/representatives')
    await page.getByLabel('ZIP code').fill('10001')
    await page.getByRole('button', { name: 'Find my representatives' }).click()
    await expect(page).toHaveURL(/zip=10001/)
    await page.getByLabel('NY, District 10: Daniel S. Goldman').check()
    await page.getByRole('button', { name: 'Use this district' }).click()
    await expect(page).toHaveURL(/district=NY-10/)
    await expect(page.getByRole('heading', { level: 3, name: 'Daniel S. Goldman' })).toBeVisible()
    await expect(page.getByRole('heading', { level: 3, name: 'Charles E. Schumer' })).toBeVisible()
  })

  test('the street address resolves without JS; a bad ZIP says what is wrong', async ({ page }) => {
    await page.goto('/representatives?zip=10001')
    await page.getByLabel('Street address').fill(E2E_ADDRESSES.ny10)
    await page.getByRole('button', { name: 'Find by address' }).click()
    await expect(page.getByRole('heading', { level: 3, name: 'Daniel S. Goldman' })).toBeVisible()

    const response = await page.goto('/representatives?zip=123')
    expect(response?.status()).toBe(400)
    await expect(page.getByText('Enter a 5-digit ZIP code (ZIP+4 is fine).')).toBeVisible()
    await expect(page.getByLabel('ZIP code')).toHaveAttribute('aria-invalid', 'true')
  })

  test('DC shows its delegate and no Senators; a vacant seat says so', async ({ page }) => {
    await page.goto('/representatives?zip=20001')
    await expect(
      page.getByRole('heading', { level: 3, name: 'Eleanor Holmes Norton' }),
    ).toBeVisible()
    await expect(page.getByText('Delegate to the U.S. House · DC')).toBeVisible()
    await expect(page.getByText(/^U\.S\. Senator ·/)).toHaveCount(0)
    await expect(page.locator('.rep-card')).toHaveCount(1)
    await page.goto('/representatives?zip=94587')
    await expect(page.getByRole('heading', { level: 3, name: 'Vacant seat' })).toBeVisible()
  })
})
