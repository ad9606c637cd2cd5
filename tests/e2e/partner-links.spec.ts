import { expect as baseExpect, test, type Page } from '@playwright/test'
import postgres from 'postgres'
import { expectNoSeriousA11yViolations } from './a11y'
import { LETTER_FORM_LABELS } from './letter-form-labels'

// Deep links and the partners' link builder (issue 14, section 5; ADRs 0907, 0908): a petition
// link fills the sign form and its source is the signature's, a letter link's district places a
// Bozeman writer (ZIP 59715 spans MT-1 and MT-2) without a street lookup, both without
// JavaScript; the editor builds those links in English and Spanish, with and without JavaScript,
// at 360 px, axe-clean.

const expect = baseExpect.configure({ timeout: 20_000 })
const INSPECTOR = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3900) + 1}`
const PETITION = 'stop-red-notice-detentions'
const LETTER = 'write-congress-red-notices'
const EMAIL = 'demo@writ.localhost'
const PASSWORD = 'writ-demo-organizer'

async function database() {
  const { url } = (await (await fetch(`${INSPECTOR}/database`)).json()) as { url: string }
  return postgres(url, { max: 1, onnotice: () => {} })
}

async function expectFitsWidth(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  expect(width).toBeLessThanOrEqual(360)
}

async function signIn(page: Page) {
  await page.goto('/admin/login')
  await page.getByLabel('Email').fill(EMAIL)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()
}

async function campaignId(slug: string) {
  const sql = await database()
  try {
    const [row] = await sql<{ id: string }[]>`select id from campaigns where slug = ${slug}`
    return row!.id
  } finally {
    await sql.end()
  }
}

test.describe('deep links without JavaScript', () => {
  test.use({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } })

  test('a petition link fills the sign form; the signature records its source', async ({
    page,
  }) => {
    const email = `prefill-${Date.now()}@example.org`
    await page.goto(`/c/${PETITION}?firstName=Ana&lastName=Ruiz&zip=59715&source=pw-partner`)
    await expect(page.getByLabel('First name', { exact: true })).toHaveValue('Ana')
    await expect(page.getByLabel('Last name', { exact: true })).toHaveValue('Ruiz')
    await expect(page.getByLabel('ZIP code', { exact: true })).toHaveValue('59715')
    await expect(page.getByLabel('Email', { exact: true })).toHaveValue('')
    await expectFitsWidth(page)
    await page.getByLabel('Email', { exact: true }).fill(email)
    await page.getByRole('button', { name: 'Sign now' }).click()
    await expect(page).toHaveURL(new RegExp(`/c/${PETITION}/thanks\\?signed=1`))

    const sql = await database()
    try {
      const [row] = await sql<{ first_name: string; source: string | null; zip: string }[]>`
        select p.first_name, s.source, p.zip from signatures s
        join supporters p on p.id = s.supporter_id where p.email = ${email}`
      expect(row).toMatchObject({ first_name: 'Ana', source: 'pw-partner', zip: '59715' })
    } finally {
      await sql.end()
    }

    // the next visitor of the campaign page sees an empty form
    await page.goto(`/c/${PETITION}?source=pw-partner`)
    await expect(page.getByLabel('First name', { exact: true })).toHaveValue('')
  })

  test('a letter link’s district places a writer whose ZIP spans districts, in English and Spanish', async ({
    page,
  }) => {
    for (const [lang, l, note] of [
      ['en', LETTER_FORM_LABELS.en, /^Your House district \(MT, District 1\) comes from the link/],
      [
        'es',
        LETTER_FORM_LABELS.es,
        /^Tu distrito de la Cámara \(MT, distrito 1\) viene del enlace/,
      ],
    ] as const) {
      await page.goto(`/c/${LETTER}?district=MT-1&source=pw-mt&lang=${lang}`)
      await page.getByLabel(l.prefix, { exact: true }).selectOption('Mx.')
      await page.getByLabel(l.first, { exact: true }).fill('June')
      await page.getByLabel(l.last, { exact: true }).fill('Hart')
      await page.getByLabel(l.email, { exact: true }).fill(`june-${lang}-${Date.now()}@example.org`)
      // a street the geocoder cannot place: without the link this ZIP would need a pick
      await page.getByLabel(l.street, { exact: true }).fill('1 Nowhere Trail')
      await page.getByLabel(l.city, { exact: true }).fill('Bozeman')
      await page.getByLabel(l.state, { exact: true }).selectOption('MT')
      await page.getByLabel(l.zip, { exact: true }).fill('59715')
      await page.getByRole('button', { name: l.find }).click()
      await expect(page.getByTestId('district-from-link')).toHaveText(note)
      const targets = page.getByTestId('letter-targets')
      await expect(targets.locator('[data-office-key="house/MT-1"]')).toBeVisible()
      await expect(targets.locator('[data-office-key="house/MT-2"]')).toHaveCount(0)
      await expectFitsWidth(page)
    }
  })

  test('an invalid district is ignored without an error', async ({ page }) => {
    const res = await page.goto(`/c/${LETTER}?district=ZZ-99`)
    expect(res?.status()).toBe(200)
    await expect(page.locator('input[name="linkDistrict"]')).toHaveCount(0)
    await expect(page.locator('.error-list')).toHaveCount(0)
  })
})

test('a Spanish petition link is filled in and axe-clean at 360 px', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 })
  await page.goto(
    `/c/${PETITION}?lang=es&firstName=Luc%C3%ADa&lastName=Mora&zip=59715&source=pw-es`,
  )
  await expect(page.locator('html')).toHaveAttribute('lang', 'es')
  await expect(page.getByLabel('Nombre', { exact: true })).toHaveValue('Lucía')
  await expect(page.getByLabel('Apellido', { exact: true })).toHaveValue('Mora')
  await expect(page.getByLabel('Código postal (ZIP)', { exact: true })).toHaveValue('59715')
  await expectFitsWidth(page)
  await expectNoSeriousA11yViolations(page)
})

test('the link builder: a letter link with a district, in English and Spanish, axe-clean at 360 px', async ({
  page,
}) => {
  test.setTimeout(120_000)
  await page.setViewportSize({ width: 360, height: 740 })
  await signIn(page)
  const id = await campaignId(LETTER)
  await page.goto(`/admin/campaigns/${id}`)
  const builder = page.getByRole('region', { name: 'Links for partners' })
  await expect(builder).toBeVisible()
  await builder.getByLabel('Source').fill('mt-partners')
  await builder.getByLabel('House district (optional)').fill('MT-9')
  await builder.getByRole('button', { name: 'Build the link' }).click()
  await expect(builder.getByText(/isn.t a House district in the current data/)).toBeVisible()
  await expect(page.getByTestId('partner-link-result')).toHaveCount(0)

  await builder.getByLabel('House district (optional)').fill('mt-1')
  await builder.getByLabel('Page language').selectOption('es')
  await builder.getByRole('button', { name: 'Build the link' }).click()
  const link = page.getByLabel('Link to share')
  await expect(link).toHaveValue(
    new RegExp(`/c/${LETTER}\\?source=mt-partners&district=MT-1&lang=es$`),
  )
  await expect(page.getByRole('button', { name: 'Copy the link' })).toBeVisible()
  await expectFitsWidth(page)
  await expectNoSeriousA11yViolations(page)

  // the built link opens the campaign in Spanish with the district carried
  await page.getByRole('link', { name: 'Open the link' }).click()
  await expect(page.locator('html')).toHaveAttribute('lang', 'es')
  await expect(page.locator('input[name="linkDistrict"]')).toHaveValue('MT-1')
  const l = LETTER_FORM_LABELS.es
  await page.getByLabel(l.prefix, { exact: true }).selectOption('Ms.')
  await page.getByLabel(l.first, { exact: true }).fill('Lucía')
  await page.getByLabel(l.last, { exact: true }).fill('Mora')
  await page.getByLabel(l.email, { exact: true }).fill(`lucia-${Date.now()}@example.org`)
  await page.getByLabel(l.street, { exact: true }).fill('3 Nowhere Trail')
  await page.getByLabel(l.city, { exact: true }).fill('Bozeman')
  await page.getByLabel(l.state, { exact: true }).selectOption('MT')
  await page.getByLabel(l.zip, { exact: true }).fill('59715')
  await page.getByRole('button', { name: l.find }).click()
  await expect(page.getByTestId('district-from-link')).toBeVisible()
  await expectFitsWidth(page)
  await expectNoSeriousA11yViolations(page)

  // the editor in Spanish
  await page.goto(`/admin/campaigns/${id}?lang=es&link=1&source=mt-partners&district=MT-1`)
  const es = page.getByRole('region', { name: 'Enlaces para organizaciones aliadas' })
  await expect(es.getByLabel('Enlace para compartir')).toHaveValue(/district=MT-1/)
  await expect(es.getByRole('button', { name: 'Copiar el enlace' })).toBeVisible()
  await expectFitsWidth(page)
  await expectNoSeriousA11yViolations(page)
  await page.goto('/admin?lang=en')
})

test.describe('the link builder without JavaScript', () => {
  test.use({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } })

  test('a petition link with merge tags is built by the GET form and shown to copy', async ({
    page,
  }) => {
    await signIn(page)
    const id = await campaignId(PETITION)
    await page.goto(`/admin/campaigns/${id}`)
    const builder = page.getByRole('region', { name: 'Links for partners' })
    await builder.getByLabel('Source').fill('newsletter')
    await builder.getByLabel('First name').fill('{{first_name}}')
    await builder.getByLabel('ZIP code').fill('{{zip}}')
    await builder.getByRole('button', { name: 'Build the link' }).click()
    await expect(page.getByLabel('Link to share')).toHaveValue(
      new RegExp(
        `/c/${PETITION}\\?source=newsletter&firstName=\\{\\{first_name\\}\\}&zip=\\{\\{zip\\}\\}$`,
      ),
    )
    // no clipboard without JavaScript: the text box is there to select and copy
    await expect(page.getByRole('button', { name: 'Copy the link' })).toHaveCount(0)
    await expect(builder.getByLabel('Source')).toHaveValue('newsletter')
    await expectFitsWidth(page)
  })
})
