import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { resetEnv } from '#app/utils/env.server'
import { createTestDatabase, type TestDatabase } from '#tests/setup/db'
import { startFakeStripe, type FakeStripe } from '../../server/fakes/stripe'
import { runServer, type RunningServer } from '../../server/run'
import { fuzzTargets, type FuzzTarget } from './targets'

// Property: whatever a client sends to a public endpoint, the answer is never a 5xx, the
// process never sees an unhandled rejection, and no half-written row is left behind.
// 1,000 cases per endpoint in `npm test`; `npm run fuzz` runs 10,000 (FUZZ_RUNS).
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000)

let db: TestDatabase & { drop(): Promise<void> }
let server: RunningServer
let stripe: FakeStripe
const unhandled: unknown[] = []
const onUnhandled = (reason: unknown) => unhandled.push(reason)

beforeAll(async () => {
  db = await createTestDatabase()
  // The donate forms reach Checkout on the local fake Stripe, so valid cases go all the way.
  stripe = await startFakeStripe({ webhookUrl: null })
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    STRIPE_SECRET_KEY: stripe.secretKey,
    STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
    STRIPE_API_BASE: stripe.url,
    MIN_FORM_FILL_MS: '0',
    RUN_WORKER: 'false',
    // every fuzz request comes from loopback: limits would turn most cases into 429s
    RATE_LIMIT_ALLOW_IPS: '127.0.0.1,::1,::ffff:127.0.0.1',
  })
  resetEnv()
  server = await runServer({ port: 0, host: '127.0.0.1' })
  process.on('unhandledRejection', onUnhandled)
})

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled)
  await server?.close()
  await stripe?.close()
  await db?.drop()
})

const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom(
    "' OR 1=1 --",
    "'); drop table signatures; --",
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '=HYPERLINK("http://evil")',
    '\u0000\u0001\u0002\u001b[31m',
    '\ud800',
    '%00%ff%fe',
    '../../etc/passwd',
    ' ',
    '9'.repeat(400),
    'a@b',
    '12345-6789',
    '１２３４５',
  ),
  fc.integer().map(String),
  fc.double().map(String),
)

function bodyFor(target: FuzzTarget): fc.Arbitrary<FuzzInput> {
  const fields = fc.record(
    Object.fromEntries(target.fields.map((f) => [f, fc.option(nasty, { nil: undefined })])),
  ) as fc.Arbitrary<Record<string, string | undefined>>
  const extra = fc.dictionary(fc.string({ maxLength: 12 }), nasty, { maxKeys: 3 })
  // 'mutate': the valid baseline with one field (or none) replaced, so cases reach the write.
  const mutate = fc.record({
    kind: fc.constant('form' as const),
    fields: fc
      .tuple(fc.constantFrom(...target.fields), fc.option(nasty, { nil: undefined }))
      .map(([name, value]) => ({ [name]: value }) as Record<string, string | undefined>),
    extra: fc.constant({} as Record<string, string>),
  })
  return fc.oneof(
    fc.record({ kind: fc.constant('form' as const), fields, extra }),
    mutate,
    fc.record({
      kind: fc.constant('raw' as const),
      raw: fc.string({ unit: 'binary', maxLength: 2000 }),
      type: fc.constantFrom(
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'multipart/form-data',
        'application/json',
        'text/plain',
        'application/x-www-form-urlencoded; charset=latin1',
      ),
    }),
    fc.record({ kind: fc.constant('huge' as const) }),
  )
}

type FuzzInput =
  | { kind: 'form'; fields: Record<string, string | undefined>; extra: Record<string, string> }
  | { kind: 'raw'; raw: string; type: string }
  | { kind: 'huge' }

async function send(target: FuzzTarget, input: FuzzInput) {
  const url = `${server.url}${typeof target.path === 'function' ? target.path() : target.path}`
  if (target.method === 'GET') {
    const params = new URLSearchParams()
    if (input.kind === 'form') {
      for (const [k, v] of Object.entries({ ...input.fields, ...input.extra }))
        if (v !== undefined) params.append(k, v)
    }
    return fetch(`${url}${url.includes('?') ? '&' : '?'}${params}`)
  }
  if (input.kind === 'huge') {
    return fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `a=${'x'.repeat(1024 * 1024)}`,
    })
  }
  if (input.kind === 'raw') {
    return fetch(url, {
      method: 'POST',
      headers: { 'content-type': input.type, ...target.headers?.() },
      body: input.raw,
    })
  }
  const form = new URLSearchParams()
  for (const [k, v] of Object.entries({
    ...target.baseline?.(),
    ...input.fields,
    ...input.extra,
  })) {
    if (v !== undefined) form.append(k, v)
  }
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...target.headers?.() },
    body: form,
    redirect: 'manual',
  })
}

describe('fuzzing every public input', () => {
  for (const target of fuzzTargets) {
    test(`${target.method} ${target.name}: never a 5xx`, async () => {
      const fivexx: string[] = []
      await target.prepare?.(db.sql)
      const started = new Date()
      await fc.assert(
        fc.asyncProperty(bodyFor(target), async (input) => {
          const res = await send(target, input)
          await res.arrayBuffer()
          if (res.status >= 500) fivexx.push(`${res.status} ${JSON.stringify(input).slice(0, 300)}`)
          return res.status < 500
        }),
        { numRuns: RUNS, endOnFailure: true },
      )
      expect(fivexx).toEqual([])
      expect(unhandled).toEqual([])
      if (target.invariant) expect(await target.invariant(db.sql, started)).toEqual([])
      if (target.writes) expect(await target.writes(db.sql)).toBeGreaterThan(0)
    })
  }
})
