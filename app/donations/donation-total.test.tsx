import { createInstance } from 'i18next'
import { renderToStaticMarkup } from 'react-dom/server'
import { I18nextProvider, initReactI18next } from 'react-i18next'
import { expect, test } from 'vitest'
import { i18nConfig, resources } from '#app/i18n/config'
import { DonationTotal } from './donation-total'

async function render(locale: 'en' | 'es', element: React.ReactElement) {
  const i18n = createInstance()
  await i18n.use(initReactI18next).init({ ...i18nConfig, resources, lng: locale })
  return renderToStaticMarkup(<I18nextProvider i18n={i18n}>{element}</I18nextProvider>)
}

const totals = { totalCents: 125_050, donorCount: 3, activeMonthlyCount: 1 }

test('the total reads against the goal, with a labelled progress bar', async () => {
  const html = await render('en', <DonationTotal totals={totals} goal={5000} />)
  expect(html).toContain('$1,250.50 raised of $5,000 goal')
  expect(html).toContain('3 donors · 1 monthly supporter')
  expect(html).toMatch(/<progress[^>]*max="500000"[^>]*value="125050"/)
  expect(html).toContain('aria-label="Progress toward the goal: 25%"')
})

test('without a goal there is no bar; Spanish reads in Spanish', async () => {
  const html = await render('es', <DonationTotal totals={{ ...totals, activeMonthlyCount: 0 }} />)
  expect(html).toContain('recaudados')
  expect(html).toContain('3 donantes')
  expect(html).not.toContain('<progress')
})
