import '#tests/setup/app-env'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { checkFormTiming } from '#app/safety/bot-defense.server'
import { startServerWithEnv, type ServerWithEnv } from '#tests/setup/server-with-env'
import type { RunningServer } from './run'

// The one-second HTML cache in front of the anonymous campaign page (ADR 0700): what must never
// be shared between visitors is not, the locale is never mixed, changes show within the window,
// every view is still recorded, and the security headers are per response.
const SLUG = 'stop-red-notice-detentions'
const CACHE_MS = 1500
let app: ServerWithEnv
let server: RunningServer
let db: ServerWithEnv['db']

beforeAll(async () => {
  app = await startServerWithEnv(
    {
      READ_CACHE_MS: String(CACHE_MS),
      PAGE_VIEW_FLUSH_MS: '0',
      // the form token is checked below, as the sign action checks it
      MIN_FORM_FILL_MS: '1',
      RATE_LIMIT_ALLOW_IPS: '127.0.0.1,::1,::ffff:127.0.0.1',
    },
    { production: true },
  )
  ;({ server, db } = app)
})

afterAll(async () => {
  await app?.close()
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

// a browser's user agent: views from bots (fetch's default "node") are not recorded
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36'

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${path}`, {
    headers: { 'user-agent': BROWSER, ...headers },
    redirect: 'manual',
  })
  return { res, html: await res.text(), cache: res.headers.get('x-cache') }
}

function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g))
    fields[m[1]] = m[2]
  return fields
}

const viewCount = async (source: string) => {
  const [row] = await db.sql<{ n: number }[]>`
    select count(*)::int as n from page_views where source = ${source}`
  return row.n
}

test('a cached copy is served, with a fresh form token, and every view is recorded', async () => {
  const path = `/c/${SLUG}?source=cache-views`
  const first = await get(path)
  const second = await get(path)
  expect(first.res.status).toBe(200)
  expect(second.res.status).toBe(200)
  expect(first.cache).toBe('miss')
  expect(second.cache).toBe('hit')
  const a = hiddenFields(first.html).formStarted
  const b = hiddenFields(second.html).formStarted
  expect(a).toMatch(/^\d{13}\./)
  expect(b).toMatch(/^\d{13}\./)
  expect(b).not.toBe(a)
  // the replaced token is a valid one (the sign action would accept it after the minimum time)
  expect(checkFormTiming(b, Date.now() + 10)).toBe('ok')
  // apart from the form token and the live-count script's CSP nonce, the same page
  const nonceOf = (html: string) => /<script nonce="([^"]+)"/.exec(html)?.[1] ?? ''
  expect(nonceOf(second.html)).not.toBe(nonceOf(first.html))
  expect(second.html.replace(b, a).replace(nonceOf(second.html), nonceOf(first.html))).toBe(
    first.html,
  )
  expect(await viewCount('cache-views')).toBe(2)
})

test('tracking fields are the visitor’s own: per query string and per referrer', async () => {
  const one = await get(`/c/${SLUG}?source=alpha&utm_campaign=spring`)
  const two = await get(`/c/${SLUG}?source=beta`, { referer: 'https://news.example.com/story' })
  const three = await get(`/c/${SLUG}?source=beta`, { referer: 'https://other.example.net/' })
  const again = await get(`/c/${SLUG}?source=alpha&utm_campaign=spring`)
  expect(hiddenFields(one.html)).toMatchObject({ source: 'alpha', utmCampaign: 'spring' })
  expect(hiddenFields(two.html)).toMatchObject({ source: 'beta', referrerHost: 'news.example.com' })
  expect(hiddenFields(two.html).utmCampaign).toBeUndefined()
  expect(hiddenFields(three.html)).toMatchObject({
    source: 'beta',
    referrerHost: 'other.example.net',
  })
  expect(two.html).not.toContain('alpha')
  expect(three.html).not.toContain('news.example.com')
  expect(again.cache).toBe('hit')
  expect(hiddenFields(again.html)).toMatchObject({ source: 'alpha', utmCampaign: 'spring' })
  expect(again.html).not.toContain('beta')
  const rows = await db.sql<{ source: string; referrerHost: string | null }[]>`
    select source, referrer_host from page_views where source in ('alpha', 'beta')
    order by created_at`
  expect(rows.map((r) => [r.source, r.referrerHost])).toEqual([
    ['alpha', null],
    ['beta', 'news.example.com'],
    ['beta', 'other.example.net'],
    ['alpha', null],
  ])
})

test('Spanish and English are never mixed: ?lang, the locale cookie and Accept-Language', async () => {
  const isSpanish = (html: string) =>
    html.includes('<html lang="es"') &&
    html.includes('Firma la petición') &&
    !html.includes('Sign the petition')
  const isEnglish = (html: string) =>
    html.includes('<html lang="en"') &&
    html.includes('Sign the petition') &&
    !html.includes('Firma la petición')
  for (let round = 0; round < 2; round++) {
    const en = await get(`/c/${SLUG}`, { 'accept-language': 'en-US,en;q=0.9' })
    const es = await get(`/c/${SLUG}`, { 'accept-language': 'es-MX,es;q=0.9' })
    const byParam = await get(`/c/${SLUG}?lang=es`, { 'accept-language': 'en' })
    expect(isEnglish(en.html), en.html.slice(0, 300)).toBe(true)
    expect(isSpanish(es.html)).toBe(true)
    expect(isSpanish(byParam.html)).toBe(true)
    expect(hiddenFields(es.html).locale).toBe('es')
    expect(hiddenFields(en.html).locale).toBe('en')
    // ?lang= sets the locale cookie on every answer, cached or not
    const cookie = byParam.res.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/^__Host-lng=/)
    const withCookie = await get(`/c/${SLUG}`, {
      cookie: cookie.split(';')[0],
      'accept-language': 'en',
    })
    expect(isSpanish(withCookie.html)).toBe(true)
    if (round === 1) {
      expect([en.cache, es.cache, byParam.cache, withCookie.cache]).toEqual([
        'hit',
        'hit',
        'hit',
        'hit',
      ])
    }
  }
})

test('a signed-in organizer is never served from, nor stored into, the cache', async () => {
  await get(`/c/${SLUG}?source=organizer-check`)
  const { signedInOrganizer } = await import('#tests/setup/organizers')
  const { cookie } = await signedInOrganizer('owner')
  const organizer = await get(`/c/${SLUG}?source=organizer-check`, { cookie })
  expect(organizer.res.status).toBe(200)
  expect(organizer.cache).toBeNull()
  const anonymous = await get(`/c/${SLUG}?source=organizer-check`)
  expect(anonymous.cache).toBe('hit')
})

test('security headers are set on every cached answer, with a fresh nonce', async () => {
  await get(`/c/${SLUG}?source=headers`)
  const hits = [await get(`/c/${SLUG}?source=headers`), await get(`/c/${SLUG}?source=headers`)]
  const nonces = new Set<string>()
  for (const { res, html, cache } of hits) {
    expect(cache).toBe('hit')
    const csp = res.headers.get('content-security-policy') ?? ''
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1]
    expect(nonce).toBeTruthy()
    nonces.add(nonce!)
    expect(csp).toContain("frame-ancestors 'none'")
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    // the page's one script is the live count (ADR 1102), and it carries this answer's nonce
    const scripts = [...html.matchAll(/<script[^>]*>/gi)].map((m) => m[0])
    expect(scripts).toEqual([`<script nonce="${nonce}" src="/live-count.js" defer="">`])
  }
  expect(nonces.size).toBe(2)
})

test('closing or unpublishing a campaign shows within the cache window', async () => {
  const path = `/c/${SLUG}?source=status-change`
  await get(path)
  expect((await get(path)).cache).toBe('hit')
  await db.sql`update campaigns set status = 'closed' where slug = ${SLUG}`
  await sleep(CACHE_MS + 200)
  const closed = await get(path)
  expect(closed.html).toContain('This campaign is closed')
  expect(closed.html).not.toContain('name="firstName"')
  await db.sql`update campaigns set status = 'draft' where slug = ${SLUG}`
  await sleep(CACHE_MS + 200)
  expect((await get(path)).res.status).toBe(404)
  await db.sql`update campaigns set status = 'live' where slug = ${SLUG}`
  await sleep(CACHE_MS + 200)
  expect((await get(path)).html).toContain('name="firstName"')
})

test('a signature drops the cached copies, so the next view counts it', async () => {
  const path = `/c/${SLUG}?source=count-check`
  await get(path)
  expect((await get(path)).cache).toBe('hit')
  const token = hiddenFields((await get(path)).html).formStarted
  await sleep(5)
  const res = await fetch(`${server.url}/c/${SLUG}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      firstName: 'Cache',
      lastName: 'Check',
      email: 'cache-check@example.org',
      zip: '82001',
      formStarted: token,
    }),
    redirect: 'manual',
  })
  expect(res.status).toBe(303)
  expect((await get(path)).cache).toBe('miss')
})

test('when a copy expires, one request renders it again while the others get the copy, each with its own token', async () => {
  const path = `/c/${SLUG}?source=single-render`
  await get(path)
  await sleep(CACHE_MS + 100)
  const burstAt = Date.now()
  const answers = await Promise.all(Array.from({ length: 20 }, () => get(path)))
  expect(answers.map((a) => a.res.status)).toEqual(Array(20).fill(200))
  const caches = answers.map((a) => a.cache)
  // one render; the rest are served the expired copy (or the new one, once it is stored)
  expect(caches.filter((c) => c === 'miss')).toHaveLength(1)
  expect(caches.every((c) => c === 'miss' || c === 'stale' || c === 'hit')).toBe(true)
  // a token is its issue time and that time's MAC, so two answers in one millisecond share one;
  // what matters is that none is the copy's own, older token
  const issued = answers.map((a) => Number(hiddenFields(a.html).formStarted!.split('.')[0]))
  expect(issued.every((t) => t >= burstAt)).toBe(true)
  // every view is still recorded
  await expect.poll(() => viewCount('single-render')).toBe(21)
})
