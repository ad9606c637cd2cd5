import type { InitOptions } from 'i18next'
import commonEn from './locales-en.json'
import commonEs from './locales-es.json'
import petitionsEn from '#app/signatures/locales/en.json'
import petitionsEs from '#app/signatures/locales/es.json'
import targetsEn from '#app/targets/locales/en.json'
import targetsEs from '#app/targets/locales/es.json'
import lettersEn from '#app/letters/locales/en.json'
import lettersEs from '#app/letters/locales/es.json'
import donationsEn from '#app/donations/locales/en.json'
import donationsEs from '#app/donations/locales/es.json'
import adminEn from '#app/admin/locales/en.json'
import adminEs from '#app/admin/locales/es.json'
import safetyEn from '#app/safety/locales/en.json'
import safetyEs from '#app/safety/locales/es.json'
import petitionDeliveryEn from '#app/petition-delivery/locales/en.json'
import petitionDeliveryEs from '#app/petition-delivery/locales/es.json'
import laddersEn from '#app/ladders/locales/en.json'
import laddersEs from '#app/ladders/locales/es.json'
import apiEn from '#app/api/locales/en.json'
import apiEs from '#app/api/locales/es.json'
import callsEn from '#app/calls/locales/en.json'
import callsEs from '#app/calls/locales/es.json'

// Each capability owns its strings (app/<capability>/locales/{en,es}.json) as one i18next namespace.
export const supportedLocales = ['en', 'es'] as const
export type Locale = (typeof supportedLocales)[number]
export const fallbackLocale: Locale = 'en'

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (supportedLocales as readonly string[]).includes(value)
}

export const resources = {
  en: {
    common: commonEn,
    petitions: petitionsEn,
    targets: targetsEn,
    letters: lettersEn,
    donations: donationsEn,
    admin: adminEn,
    safety: safetyEn,
    petitionDelivery: petitionDeliveryEn,
    ladders: laddersEn,
    api: apiEn,
    calls: callsEn,
  },
  es: {
    common: commonEs,
    petitions: petitionsEs,
    targets: targetsEs,
    letters: lettersEs,
    donations: donationsEs,
    admin: adminEs,
    safety: safetyEs,
    petitionDelivery: petitionDeliveryEs,
    ladders: laddersEs,
    api: apiEs,
    calls: callsEs,
  },
} as const

export const i18nConfig = {
  supportedLngs: [...supportedLocales],
  fallbackLng: fallbackLocale,
  defaultNS: 'common',
  ns: Object.keys(resources.en),
  interpolation: { escapeValue: false }, // React escapes
  react: { useSuspense: false },
} satisfies InitOptions
