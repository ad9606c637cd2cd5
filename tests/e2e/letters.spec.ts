import { createHash, randomBytes } from 'node:crypto'
import { expect, test } from '@playwright/test'
import postgres from 'postgres'
import { expectNoSeriousA11yViolations } from './a11y'
import { waitForMail } from './mail'

// The /letters/:token status page against the running app and its in-process worker: CWC goes to
// the fake CWC, email to the SMTP sink, the Senate office (no channel) awaits hand delivery, and
// the receipt arrives at the sink. The letter is arranged in SQL so that this spec covers the
// status page and delivery alone; letter-flow.spec.ts drives the form that creates letters.

const INSPECTOR = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3900) + 1}`
const token = randomBytes(32).toString('base64url')
const email = `e2e-${Date.now()}@example.org`

test.beforeAll(async () => {
  const { url } = (await (await fetch(`${INSPECTOR}/database`)).json()) as { url: string }
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    await sql.begin(async (tx) => {
      const [campaign] =
        await tx`select id from campaigns where slug = 'write-congress-red-notices'`
      const [supporter] = await tx`insert into supporters (email) values (${email}) returning id`
      const [letter] = await tx`
        insert into letters (campaign_id, supporter_id, status_token_hash, prefix, first_name,
          last_name, email, street, city, state, zip, subject, body, locale)
        values (${campaign!.id}, ${supporter!.id}, ${createHash('sha256').update(token).digest()},
          'Ms.', 'Rosa', 'Delgado', ${email}, '10 Oak Ave', 'Modesto', 'CA', '95354',
          'Pass S. 2525', 'Dear Senator,\n\nPlease act.\n\nRosa Delgado', 'en')
        returning id`
      const offices = [
        ['house/CA-13', 'Adam Gray', 'Representative', 'house', 'HCA13', null, 'cwc'],
        ['senate/CA/1', 'Alex Padilla', 'Senator', 'senate', 'SCA0', null, 'packet'],
        [
          'custom/e2e',
          'Secretary of Homeland Security',
          'Secretary',
          null,
          null,
          'dhs-e2e@example.org',
          'email',
        ],
      ] as const
      for (const [key, name, title, chamber, cwc, to, channel] of offices) {
        await tx`
          insert into deliveries (letter_id, office_key, office_name, office_title, chamber, state,
            district, cwc_code, email, channel, message_id, subject, body)
          values (${letter!.id}, ${key}, ${name}, ${title}, ${chamber}, 'CA', '13', ${cwc}, ${to},
            ${channel}, ${`<${randomBytes(8).toString('hex')}@writ.test>`}, 'Pass S. 2525',
            ${`Dear ${title} ${name},\n\nPlease act.\n\nRosa Delgado`})`
      }
    })
  } finally {
    await sql.end()
  }
})

test('a constituent sees each office’s status, and the receipt arrives', async ({ page }) => {
  await expect(async () => {
    await page.goto(`/letters/${token}`)
    await expect(page.locator('[data-status="delivered"]')).toHaveCount(2, { timeout: 500 })
  }).toPass({ timeout: 30_000 })
  await expect(
    page.getByRole('heading', { level: 1, name: "Your letter's delivery status" }),
  ).toBeVisible()
  const house = page.getByRole('listitem').filter({ hasText: 'Representative Adam Gray' })
  await expect(house).toContainText('Delivered')
  await expect(house).toContainText('Accepted by CWC for office HCA13')
  await expect(page.getByRole('listitem').filter({ hasText: 'Alex Padilla' })).toContainText(
    'Awaiting hand delivery',
  )
  await expect(page.getByRole('listitem').filter({ hasText: 'Homeland Security' })).toContainText(
    "Accepted by the office's mail server: 250",
  )
  await expectNoSeriousA11yViolations(page)

  const receipt = await waitForMail(email, (m) => m.subject.includes('receipt'))
  expect(receipt.text).toContain('Adam Gray: Delivered')
  expect(receipt.text).toContain('Alex Padilla: Awaiting hand delivery')
  const office = await waitForMail('dhs-e2e@example.org')
  expect(office.headers['reply-to']).toContain(email)
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('the status page works in Spanish and at 360 px', async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 740 })
    await page.goto(`/letters/${token}?lang=es`)
    await expect(
      page.getByRole('heading', { level: 1, name: 'Estado de entrega de tu carta' }),
    ).toBeVisible()
    await expect(page.locator('[data-status]')).toHaveCount(3)
    await expect(page.getByRole('listitem').filter({ hasText: 'Adam Gray' })).toContainText(
      'Entregada',
    )
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth > window.innerWidth,
    )
    expect(overflow).toBe(false)
  })

  test('an unknown token is a 404', async ({ page }) => {
    const res = await page.goto(`/letters/${'x'.repeat(43)}`)
    expect(res?.status()).toBe(404)
  })
})
