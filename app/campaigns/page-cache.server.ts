import { isbot } from 'isbot'
import type { Locale } from '#app/i18n/config'
import { getEnv } from '#app/utils/env.server'
import { recordPageViewBuffered } from './page-view-buffer.server'
import type { Tracking } from './tracking'

// A micro-cache of the anonymous campaign page's HTML (docs/decisions/0700-performance-and-resilience.md).
// At viral load most views of a campaign fall in the same second and render the same HTML; Remix's
// route matching, the loader and React SSR cost more than the rest of the request together. The
// Express layer (server/page-cache.ts) serves a copy for READ_CACHE_MS, the staleness the page's
// read cache already allows. What makes a copy safe to share:
// - the key holds everything the HTML is rendered from: host, path and whole query string (tracking
//   fields, the language switcher's links and the form's action repeat it), the resolved locale,
//   and the referrer host (a hidden field);
// - requests carrying any cookie but the locale cookie (an organizer's session) are never served
//   from, nor stored into, the cache;
// - the two per-response values in the HTML, the signed "form served at" token and the CSP nonce
//   (only present when Turnstile's script is on the page), are replaced with fresh ones per hit;
// - every hit still records its page view, with its own tracking fields.

export type CachedPage = {
  slug: string
  expires: number
  status: number
  headers: Array<[string, string]>
  html: string
  /** the locale cookie that ?lang= sets ('' when none) */
  setCookie: string
  /** the form token and CSP nonce the stored copy was rendered with ('' when absent) */
  formToken: string
  nonce: string
}

// On globalThis: the server entry (which serves hits) and the Remix build (whose sign action
// invalidates) each load their own copy of this module.
type State = {
  pages: Map<string, CachedPage>
  /** keys being rendered again now, with when that render started */
  rendering: Map<string, number>
}
const state: State = ((globalThis as { __writPageCache?: State }).__writPageCache ??= {
  pages: new Map(),
  rendering: new Map(),
})
// A copy is ~30 KB: at most ~15 MB per process, even when every view has its own URL (click ids)
const MAX_ENTRIES = 500
/** A render that takes longer than this no longer holds the other requests to the old copy. */
const RENDER_WAIT_MS = 5_000

export function pageCacheKey(parts: {
  host: string
  url: string
  locale: Locale
  referrerHost: string | undefined
}): string {
  return JSON.stringify([parts.host, parts.url, parts.locale, parts.referrerHost ?? ''])
}

export type PageLookup =
  | { kind: 'hit'; page: CachedPage }
  /** expired, and another request is rendering it again: serve this copy meanwhile */
  | { kind: 'stale'; page: CachedPage }
  /** this request renders (Remix); call `done` when its answer is finished, stored or not */
  | { kind: 'render'; done: () => void }

/**
 * The copy for `key`. When it has expired, one request renders it again and the requests that
 * arrive meanwhile get the expired copy, so that a popular page is rendered once per window
 * rather than by every request in flight at its expiry (each render is a loader and React SSR).
 * A copy is served this way only up to one window past its expiry.
 */
export function lookupCachedPage(key: string, now = Date.now()): PageLookup {
  const page = state.pages.get(key)
  if (page && page.expires > now) return { kind: 'hit', page }
  const started = state.rendering.get(key)
  if (started !== undefined && now - started < RENDER_WAIT_MS) {
    if (page && now - page.expires <= getEnv().READ_CACHE_MS) return { kind: 'stale', page }
  }
  if (page && now - page.expires > getEnv().READ_CACHE_MS) state.pages.delete(key)
  state.rendering.set(key, now)
  return {
    kind: 'render',
    done: () => {
      if (state.rendering.get(key) === now) state.rendering.delete(key)
    },
  }
}

export function storeCachedPage(key: string, page: Omit<CachedPage, 'expires'>) {
  const ttl = getEnv().READ_CACHE_MS
  if (ttl <= 0) return
  if (state.pages.size >= MAX_ENTRIES) {
    const now = Date.now()
    for (const [k, page] of state.pages) if (page.expires <= now) state.pages.delete(k)
    if (state.pages.size >= MAX_ENTRIES) state.pages.clear()
  }
  state.pages.set(key, { ...page, expires: Date.now() + ttl })
}

/**
 * A signature recorded in this process: the next view renders the new count. The copies are
 * expired, not dropped, so that the views arriving during that render get the copy before it.
 */
export function invalidateCachedPages(slug: string) {
  const now = Date.now()
  for (const page of state.pages.values())
    if (page.slug === slug) page.expires = Math.min(page.expires, now)
}

export function utmOf(t: Tracking) {
  const utm = {
    source: t.utmSource,
    medium: t.utmMedium,
    campaign: t.utmCampaign,
    term: t.utmTerm,
    content: t.utmContent,
  }
  return Object.fromEntries(Object.entries(utm).filter(([, v]) => v)) as Record<string, string>
}

/**
 * First-party, cookieless analytics: one row per page view, with where the visitor came from.
 * Writing on GET is deliberate (analytics only; docs/decisions/0102-page-views.md). Bots are
 * not counted. Called by the loader, and by the page cache for views it serves.
 */
export async function recordCampaignView(view: {
  method: string
  userAgent: string | null
  campaignSlug: string
  path: string
  locale: Locale
  tracking: Tracking
}) {
  if (view.method !== 'GET' || isbot(view.userAgent ?? '')) return
  const t = view.tracking
  try {
    await recordPageViewBuffered({
      campaignSlug: view.campaignSlug,
      path: view.path,
      locale: view.locale,
      source: t.source ?? null,
      utm: utmOf(t),
      ref: t.ref ?? null,
      referrerHost: t.referrerHost ?? null,
    })
  } catch (error) {
    // Analytics must never take the page down; log once and serve the page.
    console.error('[campaigns] page view not recorded:', (error as Error).message)
  }
}
