import '#tests/setup/app-env'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startServerWithEnv, type ServerWithEnv } from '#tests/setup/server-with-env'
import type { RunningServer } from './run'

// The campaign page's HTML cache (ADR 0700) when Turnstile's widget is on: its script tag is the
// one place the page carries the CSP nonce, so every cached answer must carry its own.
const SLUG = 'stop-red-notice-detentions'
let app: ServerWithEnv
let server: RunningServer

beforeAll(async () => {
  app = await startServerWithEnv(
    { READ_CACHE_MS: '5000', TURNSTILE_SITE_KEY: '1x00000000000000000000AA' },
    { production: true },
  )
  server = app.server
})

afterAll(async () => {
  await app?.close()
})

test('each cached answer’s Turnstile script carries that answer’s CSP nonce', async () => {
  const answers = []
  for (let i = 0; i < 3; i++) {
    const res = await fetch(`${server.url}/c/${SLUG}?source=turnstile`)
    answers.push({ res, html: await res.text() })
  }
  expect(answers.map((a) => a.res.headers.get('x-cache'))).toEqual(['miss', 'hit', 'hit'])
  const seen = new Set<string>()
  for (const { res, html } of answers) {
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain('https://challenges.cloudflare.com')
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1]
    expect(nonce).toBeTruthy()
    expect(html).toContain('class="cf-turnstile"')
    const scriptNonces = [...html.matchAll(/<script[^>]*nonce="([^"]+)"/g)].map((m) => m[1])
    // the Turnstile script and the live count's (ADR 1102), each with this answer's nonce
    expect(scriptNonces).toEqual([nonce, nonce])
    seen.add(nonce!)
  }
  expect(seen.size).toBe(3)
})
