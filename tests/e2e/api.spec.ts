import { expect as baseExpect, test, type Page } from '@playwright/test'
import { expectNoSeriousA11yViolations } from './a11y'

// The REST API as a partner's developer and an owner meet it: the reference page, a key made in
// /admin/api and used, then revoked; a webhook URL to a private address refused.

const expect = baseExpect.configure({ timeout: 20_000 })

const EMAIL = 'demo@writ.localhost'
const PASSWORD = 'writ-demo-organizer'

async function signIn(page: Page) {
  await page.goto('/admin/login')
  await page.getByLabel('Email').fill(EMAIL)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()
}

test.describe('the reference page without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('is all there with scripts off', async ({ page }) => {
    await page.goto('/api/docs')
    await expect(page.getByRole('row').filter({ hasText: 'write:signatures' })).toBeVisible()
    await expect(page.getByRole('link', { name: 'OpenAPI 3.1 document' })).toBeVisible()
  })
})

test.describe('the reference page at 360 px', () => {
  // axe needs JavaScript on (tests/e2e/a11y.ts)
  test.use({ viewport: { width: 360, height: 740 } })

  test('lists every route with its scope, passes axe, fits the screen, and reads in Spanish', async ({
    page,
  }) => {
    await page.goto('/api/docs')
    await expect(page.getByRole('heading', { level: 1, name: 'Writ API reference' })).toBeVisible()
    for (const [path, scope] of [
      ['/api/v1/campaigns', 'read:campaigns'],
      ['/api/v1/people/:id', 'read:people'],
      ['/api/v1/campaigns/:id/signatures', 'write:signatures'],
      ['/api/v1/campaigns/:id/letters', 'read:letters'],
      ['/api/v1/donations', 'read:donations'],
    ]) {
      await expect(
        page.getByRole('row').filter({ hasText: path }).filter({ hasText: scope }).first(),
      ).toBeVisible()
    }
    await expectNoSeriousA11yViolations(page)
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    )
    expect(overflow).toBeLessThanOrEqual(0)
    await page.goto('/api/docs?lang=es')
    await expect(
      page.getByRole('heading', { level: 1, name: 'Referencia de la API de Writ' }),
    ).toBeVisible()
  })
})

test('an owner makes a key, the API answers it, and a revoked key gets 401', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000)
  await signIn(page)
  await page.goto('/admin/api')
  await expect(page.getByRole('heading', { level: 1, name: 'API keys' })).toBeVisible()
  await page.getByLabel('Name', { exact: true }).fill('CRM sync')
  await page.getByLabel(/read:campaigns/).check()
  await page.getByRole('button', { name: 'Make the key' }).click()
  const key = (await page.getByTestId('new-api-key').textContent())!.trim()
  expect(key).toMatch(/^writ_/)
  await expectNoSeriousA11yViolations(page)

  const ok = await request.get('/api/v1/campaigns', { headers: { Authorization: `Bearer ${key}` } })
  expect(ok.status()).toBe(200)
  expect((await ok.json()).data.length).toBeGreaterThan(0)
  const forbidden = await request.get('/api/v1/people', {
    headers: { Authorization: `Bearer ${key}` },
  })
  expect(forbidden.status()).toBe(403)
  expect(forbidden.headers()['content-type']).toBe('application/problem+json')

  await page.goto('/admin/api')
  await expect(page.getByRole('row', { name: /CRM sync/ }).first()).toContainText(key.slice(0, 13))
  await page.getByRole('button', { name: 'Revoke CRM sync' }).first().click()
  await expect(page.getByRole('status')).toContainText('revoked')
  const revoked = await request.get('/api/v1/campaigns', {
    headers: { Authorization: `Bearer ${key}` },
  })
  expect(revoked.status()).toBe(401)
})

test('a webhook URL to the metadata address is refused, and the page passes axe', async ({
  page,
}) => {
  await signIn(page)
  await page.goto('/admin/webhooks')
  await expect(page.getByRole('heading', { level: 1, name: 'Webhooks' })).toBeVisible()
  await page.getByLabel('URL', { exact: true }).fill('http://169.254.169.254/latest/meta-data/')
  await page.getByLabel('signature.created').check()
  await page.getByRole('button', { name: 'Add the endpoint' }).click()
  await expect(page.getByText(/private, loopback or link-local address/)).toBeVisible()
  await expectNoSeriousA11yViolations(page)
})
