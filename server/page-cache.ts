import type { NextFunction, Request, Response } from 'express'
import type * as I18nServer from '#app/i18n/i18n.server'
import {
  lookupCachedPage,
  pageCacheKey,
  recordCampaignView,
  storeCachedPage,
} from '#app/campaigns/page-cache.server'
import { hasPersonalPrefill } from '#app/campaigns/prefill'
import { trackingFromUrl } from '#app/campaigns/tracking'
import { FORM_TOKEN_FIELD, issueFormToken } from '#app/safety/bot-defense.server'
import { cookieName } from '#app/utils/cookies.server'
import { getEnv } from '#app/utils/env.server'

// Serves the anonymous campaign page from a one-second HTML cache, in front of Remix. What is
// keyed, what is replaced per response and what bypasses the cache: app/campaigns/page-cache.server.ts
// and docs/decisions/0700-performance-and-resilience.md.

const CAMPAIGN_PAGE = /^\/c\/([a-z0-9][a-z0-9-]{0,99})$/
const TOKEN_IN_HTML = new RegExp(`name="${FORM_TOKEN_FIELD}" value="([^"]+)"`)
// set per response by the layers around Remix (security headers, compression) or per hit here
const NOT_STORED = new Set([
  'set-cookie',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'vary',
  'etag',
  'date',
  'connection',
  'keep-alive',
])

/** Only the locale cookie (which picks the locale, part of the key) may come along. */
function cookiesAllowCaching(header: string | undefined): boolean {
  if (!header) return true
  const allowed = cookieName('lng')
  return header.split(';').every((pair) => {
    const name = pair.split('=')[0]?.trim()
    return !name || name === allowed
  })
}

// Loaded on first use: i18n.server builds the locale cookie (its name depends on NODE_ENV) when
// it loads, and test harnesses import this file before they set the environment.
let i18nServer: Promise<typeof I18nServer> | undefined

export function campaignPageCache() {
  return async function pageCache(req: Request, res: Response, next: NextFunction) {
    let served = false
    try {
      if (req.method !== 'GET') return next()
      const match = CAMPAIGN_PAGE.exec(req.path)
      if (!match) return next()
      // A link that prefills one person's name or address renders a page that is theirs alone:
      // neither this cache nor a browser's or proxy's keeps it (ADR 0908).
      if (hasPersonalPrefill(new URL(req.originalUrl, 'http://prefill.invalid'))) {
        res.setHeader('Cache-Control', 'private, no-store')
        return next()
      }
      if (getEnv().READ_CACHE_MS <= 0 || !cookiesAllowCaching(req.headers.cookie)) return next()
      const slug = match[1]
      // the URL exactly as the Remix adapter builds it (req.hostname honours TRUST_PROXY)
      const hostHeader = req.get('x-forwarded-host') ?? req.get('host') ?? ''
      const port = hostHeader.split(':')[1]
      const host = `${req.hostname}${port ? `:${port}` : ''}`
      const url = new URL(`${req.protocol}://${host}${req.originalUrl}`)
      // What locale detection reads, without building a fetch Request. remix-i18next reads
      // Accept-Language from `headers.get` of a Request, or `get` of a Headers it is given.
      const getHeader = (name: string) => req.get(name) ?? null
      const request = {
        url: url.href,
        headers: { get: getHeader },
        get: getHeader,
      } as unknown as globalThis.Request
      i18nServer ??= import('#app/i18n/i18n.server')
      const locale = await (await i18nServer).getLocale(request)
      const tracking = trackingFromUrl(url, req.get('referer') ?? null)
      const key = pageCacheKey({
        host,
        url: req.originalUrl,
        locale,
        referrerHost: tracking.referrerHost,
      })
      const nonce = String(res.locals.cspNonce ?? '')

      const lookup = lookupCachedPage(key)
      if (lookup.kind !== 'render') {
        const hit = lookup.page
        let html = hit.html
        if (hit.formToken) html = html.replaceAll(hit.formToken, issueFormToken())
        if (hit.nonce && nonce) html = html.replaceAll(hit.nonce, nonce)
        await recordCampaignView({
          method: req.method,
          userAgent: req.get('user-agent') ?? null,
          campaignSlug: slug,
          path: `/c/${slug}`,
          locale,
          tracking,
        })
        res.status(hit.status)
        for (const [name, value] of hit.headers)
          if (!res.hasHeader(name)) res.setHeader(name, value)
        if (hit.setCookie) res.setHeader('Set-Cookie', hit.setCookie)
        res.setHeader('X-Cache', lookup.kind)
        served = true
        res.end(html)
        return
      }

      // A miss: Remix renders (and records the view); a cacheable answer is kept.
      res.once('close', lookup.done)
      const before = new Set(res.getHeaderNames())
      const chunks: Buffer[] = []
      const write = res.write.bind(res) as (...args: unknown[]) => boolean
      const end = res.end.bind(res) as (...args: unknown[]) => Response
      const collect = (chunk: unknown) => {
        if (typeof chunk === 'string') chunks.push(Buffer.from(chunk))
        else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk))
      }
      res.write = ((chunk: unknown, ...rest: unknown[]) => {
        collect(chunk)
        return write(chunk, ...rest)
      }) as typeof res.write
      res.end = ((chunk?: unknown, ...rest: unknown[]) => {
        if (chunk !== undefined && typeof chunk !== 'function') collect(chunk)
        try {
          keep()
        } catch (error) {
          console.error('[page-cache] not stored:', (error as Error).message)
        }
        return end(chunk, ...rest)
      }) as typeof res.end
      res.setHeader('X-Cache', 'miss')

      const keep = () => {
        if (res.statusCode !== 200) return
        if (!String(res.getHeader('content-type') ?? '').startsWith('text/html')) return
        const cookies = res.getHeader('set-cookie')
        const list =
          cookies === undefined ? [] : Array.isArray(cookies) ? cookies : [String(cookies)]
        // only the locale cookie (its value comes from ?lang=, part of the key) may be set;
        // anything else is per visitor
        if (list.length > 1 || list.some((c) => !c.startsWith(`${cookieName('lng')}=`))) return
        const html = Buffer.concat(chunks).toString('utf8')
        // the copy must be in the locale it is keyed by
        if (!html.includes(`<html lang="${locale}"`)) return
        const headers: Array<[string, string]> = []
        for (const name of res.getHeaderNames()) {
          if (before.has(name) || NOT_STORED.has(name) || name === 'x-cache') continue
          const value = res.getHeader(name)
          if (value !== undefined) headers.push([name, String(value)])
        }
        storeCachedPage(key, {
          slug,
          status: 200,
          headers,
          html,
          setCookie: list[0] ?? '',
          formToken: TOKEN_IN_HTML.exec(html)?.[1] ?? '',
          nonce: nonce && html.includes(nonce) ? nonce : '',
        })
      }
    } catch (error) {
      // the cache is an optimisation: on any trouble Remix answers as if it were not there
      console.error('[page-cache]', (error as Error).message)
      if (served) return
    }
    next()
  }
}
