import '#tests/setup/app-env'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startServerWithEnv, type ServerWithEnv } from '#tests/setup/server-with-env'
import type { RunningServer } from './run'

// Deep links that prefill one person's details (ADR 0908) against the one-second HTML cache in
// front of the campaign page (ADR 0700): such a page is never stored nor served from the cache,
// nor kept by a browser or proxy, so no visitor ever sees another's name; partner links that
// carry only a source or a district stay cached.
const PETITION = 'stop-red-notice-detentions'
const LETTER = 'write-congress-red-notices'
let app: ServerWithEnv
let server: RunningServer

beforeAll(async () => {
  app = await startServerWithEnv(
    {
      READ_CACHE_MS: '60000',
      PAGE_VIEW_FLUSH_MS: '0',
      RATE_LIMIT_ALLOW_IPS: '127.0.0.1,::1,::ffff:127.0.0.1',
    },
    { production: true },
  )
  ;({ server } = app)
})

afterAll(async () => {
  await app?.close()
})

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36'

async function get(path: string) {
  const res = await fetch(`${server.url}${path}`, {
    headers: { 'user-agent': BROWSER, 'accept-language': 'en' },
    redirect: 'manual',
  })
  return {
    status: res.status,
    html: await res.text(),
    cache: res.headers.get('x-cache'),
    cacheControl: res.headers.get('cache-control'),
  }
}

/** The value attribute of the input named `name` (attributes in React's render order). */
function inputValue(html: string, name: string): string | undefined {
  const tag = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html)?.[0]
  return tag ? /value="([^"]*)"/.exec(tag)?.[1] : undefined
}

test('a petition prefill fills the form for its visitor only: never cached, never shown to the next visitor', async () => {
  const personal = `/c/${PETITION}?firstName=Ana&lastName=Ruiz&zip=59715&source=partner-a`
  const first = await get(personal)
  expect(first.status).toBe(200)
  expect(inputValue(first.html, 'firstName')).toBe('Ana')
  expect(inputValue(first.html, 'lastName')).toBe('Ruiz')
  expect(inputValue(first.html, 'zip')).toBe('59715')
  expect(inputValue(first.html, 'source')).toBe('partner-a')
  expect(first.cache).toBeNull()
  expect(first.cacheControl).toBe('private, no-store')

  // the same link again is rendered afresh, never from a stored copy
  const again = await get(personal)
  expect(again.cache).toBeNull()
  expect(inputValue(again.html, 'firstName')).toBe('Ana')

  // the partner's shared link (source only) is cached, and holds nobody's name
  const shared = `/c/${PETITION}?source=partner-a`
  const one = await get(shared)
  const two = await get(shared)
  expect([one.cache, two.cache]).toEqual(['miss', 'hit'])
  for (const page of [one, two]) {
    expect(page.html).not.toContain('Ruiz')
    expect(inputValue(page.html, 'firstName')).toBeUndefined()
    expect(inputValue(page.html, 'source')).toBe('partner-a')
  }
  const plain = await get(`/c/${PETITION}`)
  expect(plain.html).not.toContain('Ruiz')
})

test('prefill values are checked and escaped: what the form would refuse is left out, markup is text', async () => {
  const xss = encodeURIComponent('"><script>alert(1)</script>')
  const page = await get(
    `/c/${PETITION}?firstName=${xss}&lastName=${'x'.repeat(81)}&zip=5971&source=${xss}`,
  )
  expect(page.status).toBe(200)
  expect(page.html).not.toContain('<script>alert(1)</script>')
  expect(page.html).not.toContain('"><script>')
  // a name is any text (escaped); an over-long name and a bad ZIP are dropped
  expect(inputValue(page.html, 'firstName')).toBe('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;')
  expect(inputValue(page.html, 'lastName')).toBeUndefined()
  expect(inputValue(page.html, 'zip')).toBeUndefined()
})

test('a letter link with an address is not cached; one with only a district and a source is', async () => {
  const address = await get(`/c/${LETTER}?zip=59715&street=1%20Main%20St&city=Bozeman&state=MT`)
  expect(address.cache).toBeNull()
  expect(address.cacheControl).toBe('private, no-store')
  expect(inputValue(address.html, 'street')).toBe('1 Main St')

  const partner = `/c/${LETTER}?district=MT-1&source=bozeman-group`
  const one = await get(partner)
  const two = await get(partner)
  expect([one.cache, two.cache]).toEqual(['miss', 'hit'])
  expect(inputValue(two.html, 'linkDistrict')).toBe('MT-1')
  expect(two.html).not.toContain('1 Main St')
})
