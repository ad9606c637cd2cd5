import '#tests/setup/app-env'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { closeSql } from '#db/client'
import { resetEnv } from '#app/utils/env.server'
import { createTestDatabase, type TestDatabase } from '#tests/setup/db'
import type { RunningServer } from '../../server/run'

// The campaign page's HTML cache (ADR 0700) when Turnstile's widget is on: its script tag is the
// one place the page carries the CSP nonce, so every cached answer must carry its own.
const SLUG = 'stop-red-notice-detentions'
let db: TestDatabase & { drop(): Promise<void> }
let server: RunningServer
const saved = { ...process.env }

beforeAll(async () => {
  db = await createTestDatabase()
  Object.assign(process.env, {
    NODE_ENV: 'production',
    DATABASE_URL: db.url,
    PUBLIC_URL: 'https://writ.example.org',
    SESSION_SECRET: 'page-cache-ts-'.padEnd(40, 'x'),
    SMTP_URL: 'smtp://127.0.0.1:9',
    STRIPE_SECRET_KEY: 'sk_test_cache',
    STRIPE_WEBHOOK_SECRET: 'whsec_cache',
    RUN_WORKER: 'false',
    READ_CACHE_MS: '5000',
    TURNSTILE_SITE_KEY: '1x00000000000000000000AA',
  })
  delete process.env.STRIPE_API_BASE
  resetEnv()
  const { runServer } = await import('../../server/run')
  server = await runServer({ port: 0, host: '127.0.0.1' })
})

afterAll(async () => {
  await server?.close()
  await closeSql(1)
  await db?.drop()
  process.env = saved
  resetEnv()
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
    expect(scriptNonces).toEqual([nonce])
    seen.add(nonce!)
  }
  expect(seen.size).toBe(3)
})
