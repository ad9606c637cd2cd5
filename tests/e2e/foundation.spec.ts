import { expect, test } from '@playwright/test'
import { expectNoSeriousA11yViolations } from './a11y'

test('home lists the live demo campaigns and healthz answers', async ({ page, request }) => {
  const health = await request.get('/healthz')
  expect(health.status()).toBe(200)
  expect(await health.json()).toEqual({ ok: true, db: 'up' })

  await page.goto('/')
  await expect(page.getByRole('heading', { level: 1, name: 'Campaigns' })).toBeVisible()
  await expect(page.getByRole('link', { name: /Red Notices? alone/ }).first()).toBeVisible()
  await expectNoSeriousA11yViolations(page)
})

test('the site switches to Spanish with ?lang=es and remembers it', async ({ page }) => {
  await page.goto('/?lang=es')
  await expect(page.locator('html')).toHaveAttribute('lang', 'es')
  await expect(page.getByRole('heading', { level: 1, name: 'Campañas' })).toBeVisible()
  await page.goto('/')
  await expect(page.getByRole('heading', { level: 1, name: 'Campañas' })).toBeVisible()
})

test('responses carry a CSP nonce that matches the scripts', async ({ page }) => {
  const response = await page.goto('/')
  const csp = response?.headers()['content-security-policy'] ?? ''
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1]
  expect(nonce).toBeTruthy()
  const scriptNonces = await page
    .locator('script')
    .evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce))
  expect(scriptNonces.length).toBeGreaterThan(0)
  expect(scriptNonces.every((n) => n === nonce)).toBe(true)
  expect(csp).toContain("object-src 'none'")
  expect(csp).toContain("base-uri 'none'")
  expect(csp).toContain("frame-ancestors 'none'")
})

test('the home page reads at 360 px without horizontal scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 })
  await page.goto('/')
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  )
  expect(overflow).toBeLessThanOrEqual(0)
})
