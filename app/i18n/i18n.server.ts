import { createCookie } from '@remix-run/node'
import { createInstance, type TFunction } from 'i18next'
import { RemixI18Next } from 'remix-i18next/server'
import {
  fallbackLocale,
  i18nConfig,
  isLocale,
  resources,
  supportedLocales,
  type Locale,
} from './config'
import { cookieName, cookieSecure } from '#app/utils/cookies.server'

// Locale order: ?lang=, then the lng cookie, then Accept-Language. See docs/decisions/0004-i18n.md.
export const localeCookie = createCookie(cookieName('lng'), {
  path: '/',
  httpOnly: true,
  sameSite: 'lax',
  secure: cookieSecure(),
  maxAge: 60 * 60 * 24 * 365,
})

export const remixI18n = new RemixI18Next({
  detection: {
    supportedLanguages: [...supportedLocales],
    fallbackLanguage: fallbackLocale,
    cookie: localeCookie,
    searchParamKey: 'lang',
    order: ['searchParams', 'cookie', 'header'],
  },
  i18next: { ...i18nConfig, resources },
})

export async function getLocale(request: Request): Promise<Locale> {
  const locale = await remixI18n.getLocale(request)
  return isLocale(locale) ? locale : fallbackLocale
}

/** A Set-Cookie header when ?lang= chose a locale, so later pages keep it. */
export async function localeCookieHeader(request: Request): Promise<string | undefined> {
  const lang = new URL(request.url).searchParams.get('lang')
  if (!isLocale(lang)) return undefined
  return localeCookie.serialize(lang)
}

const fixedTs = new Map<Locale, TFunction>()

/** A t() for server-only text (emails, CSVs, API messages). */
export function getServerT(locale: Locale): TFunction {
  let t = fixedTs.get(locale)
  if (!t) {
    const instance = createInstance()
    void instance.init({ ...i18nConfig, resources, lng: locale, initImmediate: false })
    t = instance.t
    fixedTs.set(locale, t)
  }
  return t
}
