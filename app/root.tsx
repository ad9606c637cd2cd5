import {
  data,
  type HeadersFunction,
  type LinksFunction,
  type LoaderFunctionArgs,
} from '@remix-run/node'
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { supportedLocales, type Locale } from './i18n/config'
import { getLocale, localeCookieHeader } from './i18n/i18n.server'
import appStyles from './styles/app.css'
import { getPublicEnv } from './utils/env.server'
import { useNonce } from './utils/nonce-provider'

/**
 * What a route may declare in `export const handle`. `bare`: no site header or footer (embeds).
 * `hydrate: false` (or a function of the route's loader data): serve the page as plain HTML,
 * without the React/Remix client runtime.
 */
export type RouteHandle = {
  bare?: boolean
  hydrate?: boolean | ((data: unknown) => boolean)
}

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: appStyles },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export async function loader({ request }: LoaderFunctionArgs) {
  const locale = await getLocale(request)
  const setCookie = await localeCookieHeader(request)
  return data(
    { locale, env: getPublicEnv() },
    { headers: setCookie ? { 'Set-Cookie': setCookie } : undefined },
  )
}

export const headers: HeadersFunction = ({ loaderHeaders, errorHeaders }) => {
  const headers = new Headers()
  const cookie = loaderHeaders.get('Set-Cookie')
  if (cookie) headers.set('Set-Cookie', cookie)
  // A thrown 429 or 503 rendered by this ErrorBoundary keeps its Retry-After.
  const retryAfter = errorHeaders?.get('Retry-After')
  if (retryAfter) headers.set('Retry-After', retryAfter)
  return headers
}

export function useRootData() {
  return useRouteLoaderData<typeof loader>('root')
}

function LanguageSwitcher({ locale }: { locale: Locale }) {
  const { t } = useTranslation()
  const location = useLocation()
  return (
    <nav aria-label={t('language.label')} className="lang-switch">
      <ul>
        {supportedLocales.map((lng) => {
          const params = new URLSearchParams(location.search)
          params.set('lang', lng)
          return (
            <li key={lng}>
              <a
                href={`${location.pathname}?${params}`}
                lang={lng}
                hrefLang={lng}
                aria-current={lng === locale ? 'true' : undefined}
              >
                {t(`language.${lng}`)}
              </a>
            </li>
          )
        })}
      </ul>
    </nav>
  )
}

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useNonce()
  const rootData = useRootData()
  const locale = rootData?.locale ?? 'en'
  const { t } = useTranslation()
  // Embeds (framed by other sites) render without the site's header and footer.
  const matches = useMatches()
  const bare = matches.some((m) => (m.handle as RouteHandle | undefined)?.bare)
  // Pages that work fully as HTML can skip the client runtime (docs/decisions/0104-no-hydration-on-supporter-pages.md).
  const hydrate = !matches.some((m) => {
    const h = (m.handle as RouteHandle | undefined)?.hydrate
    return typeof h === 'function' ? !h(m.data) : h === false
  })
  return (
    <html lang={locale} dir="ltr">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          {t('skipToContent')}
        </a>
        {bare ? null : (
          <header className="site-header">
            <Link to="/" className="brand">
              {t('siteName')}
            </Link>
            <nav aria-label="Writ">
              <ul>
                <li>
                  <Link to="/">{t('nav.campaigns')}</Link>
                </li>
                <li>
                  <Link to="/representatives">{t('nav.representatives')}</Link>
                </li>
                <li>
                  <Link to="/donate">{t('nav.donate')}</Link>
                </li>
              </ul>
            </nav>
            <LanguageSwitcher locale={locale} />
          </header>
        )}
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        {bare ? null : (
          <footer className="site-footer">
            <p>{t('footer.tagline')}</p>
            <p>
              <Link to="/privacy">{t('nav.privacy')}</Link>
            </p>
          </footer>
        )}
        {hydrate ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : null}
      </body>
    </html>
  )
}

export default function App() {
  return <Outlet />
}

export function ErrorBoundary() {
  const error = useRouteError()
  const { t } = useTranslation()
  let title = t('errors.serverTitle')
  let message = t('errors.server')
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) {
      title = t('errors.notFoundTitle')
      message = t('errors.notFound')
    } else if (error.status === 403) {
      title = t('errors.forbiddenTitle')
      message = t('errors.forbidden')
    } else if (error.status === 429) {
      title = t('errors.tooManyTitle')
      message = t('errors.tooMany')
    } else if (error.status === 503) {
      title = t('errors.unavailableTitle')
      message = t('errors.unavailable')
    } else if (error.status < 500 && typeof error.data === 'string' && error.data) {
      title = error.statusText || title
      message = error.data
    }
  }
  return (
    <section className="error-page" aria-labelledby="error-title">
      <h1 id="error-title">{title}</h1>
      <p>{message}</p>
      <p>
        <Link to="/">{t('errors.backHome')}</Link>
      </p>
    </section>
  )
}
