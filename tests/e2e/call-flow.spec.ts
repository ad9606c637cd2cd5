import { expect, test, type Page } from '@playwright/test'
import { expectNoSeriousA11yViolations } from './a11y'

// The call campaign against the running app (no Twilio configured: tel: links only). From ZIP
// 82001 (Cheyenne, WY, one district) the supporter calls Hageman, Barrasso and Lummis.

const SLUG = 'call-congress-red-notices'
const HEADLINE = 'Call your Senators and Representative: no detention on a Red Notice alone'

const OFFICES = [
  { name: 'Harriet M. Hageman', dc: '202-225-2311', cheyenne: '307-772-2595' },
  { name: 'John Barrasso', dc: '202-224-6441', cheyenne: '307-772-2451' },
  { name: 'Cynthia M. Lummis', dc: '202-224-3424', cheyenne: '307-772-2477' },
]

const LABELS = {
  en: {
    first: 'First name',
    last: 'Last name',
    email: 'Email',
    city: 'City',
    zip: 'ZIP code',
    submit: 'Show me who to call',
    call: (p: string) => `Call ${p}`,
    outcomes: ['Reached a staffer', 'Left a voicemail', 'Line busy or mailbox full'],
    recorded: 'Recorded: Reached a staffer',
    finish: "I'm done",
    thanks: 'Thank you for calling!',
    posts: 'Post to your legislators',
  },
  es: {
    first: 'Nombre',
    last: 'Apellido',
    email: 'Correo electrónico',
    city: 'Ciudad',
    zip: 'Código postal',
    submit: 'Muéstrame a quién llamar',
    call: (p: string) => `Llamar al ${p}`,
    outcomes: [
      'Hablé con alguien del equipo',
      'Dejé un mensaje de voz',
      'Línea ocupada o buzón lleno',
    ],
    recorded: 'Registrado: Hablé con alguien del equipo',
    finish: 'Terminé',
    thanks: '¡Gracias por llamar!',
    posts: 'Publica para tus legisladores',
  },
} as const

async function fillCaller(page: Page, l: (typeof LABELS)['en' | 'es'], email: string) {
  await page.getByLabel(l.first, { exact: true }).fill('Rosa')
  await page.getByLabel(l.last, { exact: true }).fill('Delgado')
  await page.getByLabel(l.email, { exact: true }).fill(email)
  await page.getByLabel(l.city, { exact: true }).fill('Cheyenne')
  await page.getByLabel(l.zip, { exact: true }).fill('82001')
}

async function expectOffices(page: Page, l: (typeof LABELS)['en' | 'es']) {
  const offices = page.locator('li.call-office')
  await expect(offices).toHaveCount(3)
  for (const [i, o] of OFFICES.entries()) {
    const card = offices.nth(i)
    await expect(card.getByRole('heading', { level: 3 })).toHaveText(o.name)
    const dc = card.getByRole('link', { name: l.call(o.dc) })
    await expect(dc).toHaveAttribute('href', `tel:+1${o.dc.replace(/-/g, '')}`)
    // the district offices, Cheyenne's first
    const district = card.locator('.call-district-offices a').first()
    await expect(district).toHaveText(`Cheyenne: ${o.cheyenne}`)
    await expect(district).toHaveAttribute('href', `tel:+1${o.cheyenne.replace(/-/g, '')}`)
  }
  await expect(page.getByTestId('office-hours')).toBeVisible()
  // No Twilio in this run: nothing about "Call me".
  await expect(page.getByText(/call me|llámenme/i)).toHaveCount(0)
}

async function expectFitsWidth(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  expect(width).toBeLessThanOrEqual(360)
}

test('the call journey in English (JS on): home page, ZIP, three offices, one tap each, thanks, posts', async ({
  page,
}) => {
  await page.goto('/')
  await page.getByRole('link', { name: HEADLINE, exact: true }).click()
  await expect(page).toHaveURL(new RegExp(`/c/${SLUG}$`))
  await expectNoSeriousA11yViolations(page)
  const l = LABELS.en
  await fillCaller(page, l, `call-js-${Date.now()}@example.org`)
  await page.getByRole('button', { name: l.submit }).click()
  await expect(page).toHaveURL(new RegExp(`/c/${SLUG}/call/[A-Za-z0-9_-]+$`))
  await expectOffices(page, l)
  await expectNoSeriousA11yViolations(page)

  for (const [i, o] of OFFICES.entries()) {
    const card = page.locator('li.call-office').nth(i)
    await card.getByRole('button', { name: l.outcomes[i]! }).click()
    await expect(page.locator('li.call-office').nth(i).getByRole('status')).toContainText(
      l.outcomes[i]!,
    )
    expect(o.name).toBeTruthy()
  }
  await expect(page.getByText("You've called every office. Thank you!")).toBeVisible()
  await page.getByRole('link', { name: l.finish }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(l.thanks)
  await expect(page.getByRole('heading', { name: l.posts })).toBeVisible()
  const toBarrasso = page.getByRole('link', { name: 'Post to John Barrasso on X' })
  await expect(toBarrasso).toHaveAttribute(
    'href',
    `/c/${SLUG}/post/x?office=${encodeURIComponent('senate/WY/1')}`,
  )
  await expectNoSeriousA11yViolations(page)
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('the call journey in Spanish at 360 px, with plain form posts', async ({
    page,
    browser,
  }) => {
    await page.setViewportSize({ width: 360, height: 800 })
    await page.goto(`/c/${SLUG}?lang=es`)
    await expectFitsWidth(page)
    const l = LABELS.es
    await fillCaller(page, l, `call-nojs-${Date.now()}@example.org`)
    await page.getByRole('button', { name: l.submit }).click()
    await expect(page).toHaveURL(new RegExp(`/c/${SLUG}/call/[A-Za-z0-9_-]+\\?lang=es$`))
    await expectOffices(page, l)
    await expectFitsWidth(page)
    const callPage = page.url()

    for (const i of [0, 1, 2]) {
      const card = page.locator('li.call-office').nth(i)
      await card.getByRole('button', { name: l.outcomes[0] }).click()
      // a double tap (the form posted again) records nothing more
      if (i === 0) {
        await page
          .locator('li.call-office')
          .nth(0)
          .getByRole('button', { name: l.outcomes[0] })
          .click()
      }
      await expect(page.locator('li.call-office').nth(i).getByRole('status')).toContainText(
        l.recorded,
      )
    }
    await page.getByRole('link', { name: l.finish }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(l.thanks)
    await expect(page.getByRole('heading', { name: l.posts })).toBeVisible()
    await expectFitsWidth(page)

    // axe needs JS: the same Spanish call page in a JS-on context
    const axeContext = await browser.newContext({
      viewport: { width: 360, height: 800 },
      javaScriptEnabled: true,
    })
    const axePage = await axeContext.newPage()
    await axePage.goto(callPage)
    await expectNoSeriousA11yViolations(axePage)
    await axeContext.close()
  })
})
