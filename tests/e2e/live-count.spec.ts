import { gzipSync } from 'node:zlib'
import { expect, test } from '@playwright/test'

const SLUG = 'stop-red-notice-detentions'
const PAGE = `/c/${SLUG}`

test('a second browser signs, and the first browser shows the new count and signer within 20 s, without reload', async ({
  page,
  browser,
}) => {
  test.slow()
  const scripts: Buffer[] = []
  page.on('response', async (r) => {
    if (r.url().endsWith('/live-count.js')) scripts.push(await r.body())
  })
  let navigations = 0
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame()) navigations++
  })
  await page.goto(PAGE)
  const count = page.getByTestId('signature-count')
  const before = Number((await count.innerText()).replace(/\D/g, ''))
  await expect.poll(() => scripts.length).toBe(1)
  // The whole script the live count adds to the page, gzipped.
  expect(gzipSync(scripts[0]!).length).toBeLessThanOrEqual(2048)
  await expect(page.locator('[data-live="announce"]')).toHaveAttribute('aria-live', 'polite')

  const other = await browser.newContext()
  const signer = await other.newPage()
  await signer.goto(PAGE)
  await signer.getByLabel('First name', { exact: true }).fill('Livia')
  await signer.getByLabel('Last name', { exact: true }).fill('Count')
  await signer.getByLabel('Email', { exact: true }).fill('livia.count@example.com')
  await signer.getByLabel('ZIP code', { exact: true }).fill('30303')
  await signer.getByRole('button', { name: 'Sign now' }).click()
  await expect(signer).toHaveURL(/\/thanks\?signed=1/)
  await other.close()

  await expect(count).toHaveText(new Intl.NumberFormat('en').format(before + 1), {
    timeout: 20_000,
  })
  await expect(page.locator('.thermometer progress')).toHaveAttribute('value', String(before + 1))
  await expect(page.locator('.recent-list li').first()).toHaveText(/^Livia/)
  expect(navigations).toBe(1)
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })
  test('the page shows the count as served, and count.json is public for 5 s', async ({
    page,
    request,
  }) => {
    await page.goto(PAGE)
    await expect(page.getByTestId('signature-count')).toHaveText(/^\d[\d,]*$/)
    const res = await request.get(`${PAGE}/count.json?lang=en`)
    expect(res.status()).toBe(200)
    expect(res.headers()['cache-control']).toBe('public, max-age=5')
  })
})
