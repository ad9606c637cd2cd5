import '#tests/setup/app-env'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { getSql } from '#db/client'
import { upsertOneTimeDonation, recordRefund, upsertSubscription } from '#db/queries/donations'
import { RED_NOTICE_LETTER_SLUG, RED_NOTICE_PETITION_SLUG } from '#db/seed/red-notice'
import { createSignature } from '#app/api/api.server'
import { getLetterCampaignForWriting } from '#app/letters/letters.server'
import { sendLetter } from '#app/letters/submit-letter.server'
import { eraseSupporter } from '#app/privacy/privacy.server'
import { unsubscribeSupporter } from '#app/safety/unsubscribe.server'
import { SignSchema } from '#app/signatures/schema'
import { confirmSignature } from '#app/signatures/signatures.server'
import { parseEnv, resetEnv } from '#app/utils/env.server'
// Aliased: the react-hooks lint rule reads any top-level use*() call as a hook.
import { useAppDatabase as appDatabase } from '#tests/setup/db'
import { signedInOrganizer } from '#tests/setup/organizers'
import { WEBHOOK_EVENTS, type WebhookEvent } from './schema'
import { isPublicAddress } from './ssrf.server'
import {
  changeWebhookEndpoint,
  createWebhookEndpoint,
  deliverDueWebhooks,
  getDisabledEndpoints,
  listEndpointsWithAttempts,
  postWebhook,
  resendWebhookMessage,
  rotateWebhookSecret,
} from './webhooks.server'

// Webhooks against a real HTTP receiver on loopback that checks every signature with the
// `standardwebhooks` package (an independent implementation of the spec, not our code).

appDatabase()

type Received = {
  id: string
  type: string
  data: Record<string, unknown>
  status: number
  at: number
}

type Receiver = {
  url: string
  received: Received[]
  /** what the receiver answers; it verifies the signature first in every case */
  respond: (r: Received) => number
  secrets: string[]
  close(): Promise<void>
  unverified: number
}

async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    received: [],
    respond: () => 200,
    secrets: [],
    unverified: 0,
    close: async () => {},
  }
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const headers = {
        'webhook-id': String(req.headers['webhook-id']),
        'webhook-timestamp': String(req.headers['webhook-timestamp']),
        'webhook-signature': String(req.headers['webhook-signature']),
      }
      // every secret the receiver knows must verify on its own (rotation: old and new)
      let payload: { type: string; data: Record<string, unknown> } | undefined
      for (const secret of receiver.secrets) {
        try {
          payload = new Webhook(secret).verify(body, headers) as typeof payload
        } catch {
          payload = undefined
          break
        }
      }
      if (!payload) {
        receiver.unverified++
        res.writeHead(400).end('bad signature')
        return
      }
      const entry = {
        id: headers['webhook-id'],
        type: payload.type,
        data: payload.data,
        status: 0,
        at: Date.now(),
      }
      entry.status = receiver.respond(entry)
      receiver.received.push(entry)
      res.writeHead(entry.status, { 'Content-Type': 'text/plain' }).end(`answer ${entry.status}`)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()))
  return receiver
}

function setEnv(vars: Record<string, string>) {
  Object.assign(process.env, vars)
  resetEnv()
}

let owner: Awaited<ReturnType<typeof signedInOrganizer>>['organizer']
let petitionId = ''
let receiver: Receiver

beforeAll(async () => {
  setEnv({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCHEDULE: '1,1,2,2,3,3,4,4,5,5,5,5,5,5,5' })
  owner = (await signedInOrganizer('owner')).organizer
  ;[{ id: petitionId }] = await getSql()<{ id: string }[]>`
    select id from campaigns where slug = ${RED_NOTICE_PETITION_SLUG}`
  receiver = await startReceiver()
})

afterAll(async () => {
  await receiver?.close()
})

beforeEach(async () => {
  // each test has its own endpoints; nothing is left queued for a deleted one
  await getSql()`delete from webhook_endpoints`
  receiver.received = []
  receiver.unverified = 0
  receiver.respond = () => 200
})

async function addEndpoint(events: readonly WebhookEvent[], url = receiver.url) {
  const created = await createWebhookEndpoint({
    url,
    events: [...events],
    organizerId: owner.id,
  })
  if (created.kind !== 'created') throw new Error(created.reason)
  receiver.secrets = [created.secret]
  return created
}

/** Runs the worker's processor until `done` or the deadline. */
async function deliverUntil(done: () => boolean | Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('webhooks were not delivered in time')
    const handled = await deliverDueWebhooks(getSql(), 'webhook-test')
    if (handled === 0) await new Promise((r) => setTimeout(r, 100))
  }
}

let signerCount = 0
async function sign(extra: Record<string, unknown> = {}) {
  const email = `hook-${++signerCount}-${Date.now()}@example.org`
  const outcome = await createSignature(petitionId, {
    firstName: 'Ana',
    lastName: 'Flores',
    email,
    zip: '82001',
    ...extra,
  })
  if (outcome.kind !== 'created') throw new Error(outcome.kind)
  return { email, signature: outcome.signature }
}

async function confirmTokenFor(email: string) {
  const [row] = await getSql()<{ textBody: string }[]>`
    select text_body from outbound_emails where to_address = ${email} order by id desc limit 1`
  return /\/confirm\/([A-Za-z0-9_-]+)/.exec(row!.textBody)![1]!
}

test('all nine event types arrive, each signed per Standard Webhooks; erasure carries only the id', async () => {
  await addEndpoint(WEBHOOK_EVENTS)
  const sql = getSql()
  // signature.created, then signature.confirmed through the confirmation link
  const { email, signature } = await sign()
  expect((await confirmSignature(await confirmTokenFor(email))).ok).toBe(true)

  // letter.created and delivery.updated: a letter to the campaign's emailed official
  const writing = (await getLetterCampaignForWriting(RED_NOTICE_LETTER_SLUG, 'en'))!
  const who = { firstName: 'Rosa', lastName: 'Mendez', email: `writer-${Date.now()}@example.org` }
  const letter = await sendLetter({
    campaign: { id: writing.campaign.id, slug: RED_NOTICE_LETTER_SLUG, headline: 'Red notice' },
    writing,
    constituent: {
      prefix: 'Ms.',
      ...who,
      street: '5 Pine St',
      city: 'Fresno',
      state: 'CA',
      zip: '93701',
    },
    submitted: { subject: 'Please act', message: 'Dear {{targetName}}, please act. {{firstName}}' },
    signer: SignSchema.parse({ ...who, zip: '93701' }),
    targets: writing.customTargets,
    locale: 'en',
    ip: '192.0.2.77',
  })
  expect(letter.status).toBe('sent')

  // donation.succeeded, donation.refunded, subscription.canceled: as the Stripe webhook applies them
  const charge = {
    campaignId: petitionId,
    supporterId: signature.person.id,
    amountCents: 2500,
    currency: 'usd',
    status: 'paid' as const,
    stripeCheckoutSessionId: `cs_test_${Date.now()}`,
    stripePaymentIntentId: `pi_test_${Date.now()}`,
    stripeInvoiceId: null,
    stripeSubscriptionId: null,
    stripeCustomerId: 'cus_test_1',
    stripeChargeId: null,
    source: null,
    ref: null,
    feeCoverCents: 0,
    locale: 'en' as const,
    paidAt: new Date(),
  }
  await sql.begin((tx) => upsertOneTimeDonation(tx, charge))
  await sql.begin((tx) => upsertOneTimeDonation(tx, charge)) // a redelivery: no second event
  await recordRefund(sql, {
    paymentIntentId: charge.stripePaymentIntentId,
    amountRefundedCents: 2500,
    fullyRefunded: true,
  })
  const subscription = {
    stripeSubscriptionId: `sub_test_${Date.now()}`,
    stripeCustomerId: 'cus_test_1',
    campaignId: petitionId,
    supporterId: signature.person.id,
    amountCents: 1000,
    currency: 'usd',
    source: null,
    ref: null,
    locale: 'en' as const,
  }
  await upsertSubscription(sql, { ...subscription, status: 'active' })
  await upsertSubscription(sql, { ...subscription, status: 'canceled' })
  await upsertSubscription(sql, { ...subscription, status: 'canceled' }) // late repeat: no event

  // supporter.unsubscribed (twice: one event), supporter.erased
  await unsubscribeSupporter(sql, signature.person.id)
  await unsubscribeSupporter(sql, signature.person.id)
  await eraseSupporter(owner, signature.person.id)

  await deliverUntil(
    () => new Set(receiver.received.map((r) => r.type)).size === WEBHOOK_EVENTS.length,
    30_000,
  )
  await deliverUntil(async () => (await deliverDueWebhooks(getSql(), 'webhook-test')) === 0, 10_000)
  expect(receiver.unverified).toBe(0)
  const types = receiver.received.map((r) => r.type)
  expect(new Set(types)).toEqual(new Set(WEBHOOK_EVENTS))
  // two signatures: the petition's, and the one the letter records
  expect(types.filter((t) => t === 'signature.created')).toHaveLength(2)
  for (const once of [
    'signature.confirmed',
    'letter.created',
    'donation.succeeded',
    'donation.refunded',
    'subscription.canceled',
    'supporter.unsubscribed',
    'supporter.erased',
  ]) {
    expect(
      types.filter((t) => t === once),
      once,
    ).toHaveLength(1)
  }
  const byType = (t: string) => receiver.received.find((r) => r.type === t)!.data
  expect(byType('letter.created')).toMatchObject({ campaign_id: expect.any(String) })
  expect(byType('signature.created')).toEqual({
    signature_id: signature.id,
    campaign_id: petitionId,
    person_id: signature.person.id,
  })
  expect(byType('supporter.erased')).toEqual({ person_id: signature.person.id })
  expect(byType('delivery.updated')).toMatchObject({ status: 'queued', channel: 'email' })
  // no payload carries an email address or a name
  expect(JSON.stringify(receiver.received)).not.toMatch(/@example\.org|Flores|Mendez/)
  // the admin page's view: each attempt with its status code and latency
  const [endpoint] = await listEndpointsWithAttempts()
  expect(endpoint!.attempts[0]).toMatchObject({ statusCode: 200, responseExcerpt: 'answer 200' })
})

test('the receiver answers 500 for 30 s, then recovers: every event arrives, none lost, duplicates only with the same webhook-id', async () => {
  const endpoint = await addEndpoint(['signature.created', 'signature.confirmed'])
  const outageUntil = Date.now() + 30_000
  receiver.respond = (r) => (r.at < outageUntil ? 500 : 200)
  const signatures: string[] = []
  for (let i = 0; i < 8; i++) signatures.push((await sign()).signature.id)
  // more events during the outage
  const late = setTimeout(async () => {
    for (let i = 0; i < 4; i++) signatures.push((await sign()).signature.id)
  }, 10_000)

  const delivered = () =>
    new Set(receiver.received.filter((r) => r.status === 200).map((r) => r.id)).size
  await new Promise((r) => setTimeout(r, 11_000))
  clearTimeout(late)
  await deliverUntil(() => Date.now() > outageUntil && delivered() === 12, 90_000)

  const failures = receiver.received.filter((r) => r.status === 500)
  expect(failures.length).toBeGreaterThan(0)
  // each event has one webhook-id, on every attempt; every one was delivered after recovery
  const idsByEvent = new Map<string, Set<string>>()
  for (const r of receiver.received) {
    const key = String(r.data.signature_id)
    idsByEvent.set(key, (idsByEvent.get(key) ?? new Set()).add(r.id))
  }
  expect([...idsByEvent.keys()].sort()).toEqual([...signatures].sort())
  for (const [event, ids] of idsByEvent) expect(ids.size, `event ${event}`).toBe(1)
  const ok = receiver.received.filter((r) => r.status === 200)
  expect(ok.every((r) => r.at >= outageUntil)).toBe(true)
  const stored = await getSql()<{ status: string; n: number }[]>`
    select status, count(*)::int as n from webhook_messages
    where endpoint_id = ${endpoint.id} group by status`
  expect(stored).toEqual([{ status: 'delivered', n: 12 }])
  const [row] = await getSql()<{ disabledAt: Date | null }[]>`
    select disabled_at from webhook_endpoints where id = ${endpoint.id}`
  expect(row!.disabledAt).toBeNull()
}, 150_000)

test('when every retry fails the endpoint is turned off with a dashboard notice; resend keeps the webhook-id', async () => {
  setEnv({ WEBHOOK_RETRY_SCHEDULE: '0,0' })
  try {
    const endpoint = await addEndpoint(['signature.created'])
    receiver.respond = () => 503
    await sign()
    for (let i = 0; i < 3; i++) {
      await deliverDueWebhooks(getSql(), 'webhook-test')
      await new Promise((r) => setTimeout(r, 50))
    }
    expect(receiver.received.map((r) => r.status)).toEqual([503, 503, 503])
    const disabled = await getDisabledEndpoints()
    expect(disabled.map((d) => d.id)).toEqual([endpoint.id])
    expect(disabled[0]!.disabledReason).toMatch(/HTTP 503/)
    // nothing more is sent while it is off
    await sign()
    expect(await deliverDueWebhooks(getSql(), 'webhook-test')).toBe(0)

    receiver.respond = () => 200
    expect(await changeWebhookEndpoint(endpoint.id, 'enable', owner.id)).toBe(true)
    const [failed] = await getSql()<{ id: string }[]>`
      select id::text from webhook_messages where endpoint_id = ${endpoint.id} and status = 'failed'`
    expect(await resendWebhookMessage(endpoint.id, failed!.id)).toBe(true)
    await deliverDueWebhooks(getSql(), 'webhook-test')
    const ids = receiver.received.map((r) => r.id)
    expect(ids[3]).toBe(ids[0])
    expect(receiver.received[3]!.status).toBe(200)
  } finally {
    setEnv({ WEBHOOK_RETRY_SCHEDULE: '1,1,2,2,3,3,4,4,5,5,5,5,5,5,5' })
  }
})

test('a rotated secret: the old and the new secret both verify for 24 hours', async () => {
  const endpoint = await addEndpoint(['signature.created'])
  const rotated = await rotateWebhookSecret(endpoint.id, owner.id)
  if (rotated.kind !== 'rotated') throw new Error('not rotated')
  // the receiver checks that each secret verifies on its own
  receiver.secrets = [endpoint.secret, rotated.secret]
  await sign()
  await deliverUntil(() => receiver.received.length === 1, 10_000)
  expect(receiver.unverified).toBe(0)
  const [row] = await getSql()<{ hours: number }[]>`
    select round(extract(epoch from previous_secret_expires_at - now()) / 3600)::int as hours
    from webhook_endpoints where id = ${endpoint.id}`
  expect(row!.hours).toBe(24)
  // after the overlap only the new secret signs
  await getSql()`update webhook_endpoints set previous_secret_expires_at = now() - interval '1 second'
                 where id = ${endpoint.id}`
  receiver.secrets = [endpoint.secret]
  await sign()
  await deliverUntil(() => receiver.received.length + receiver.unverified === 2, 10_000)
  expect(receiver.unverified).toBe(1)
})

describe('SSRF', () => {
  beforeAll(() => setEnv({ WEBHOOK_ALLOW_PRIVATE: 'false' }))
  afterAll(() => setEnv({ WEBHOOK_ALLOW_PRIVATE: 'true' }))

  test.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.1/hook',
    'https://192.168.1.20/hook',
    'http://[::1]:8080/',
    'http://[::ffff:10.0.0.1]/',
    'http://[fd00:ec2::254]/',
    'http://localhost/hook',
  ])('%s is refused when private addresses are not allowed', async (url) => {
    const result = await createWebhookEndpoint({
      url,
      events: ['signature.created'],
      organizerId: owner.id,
    })
    expect(result).toEqual({ kind: 'refused-url', reason: 'private' })
  })

  test('a delivery to a name that resolves to loopback is refused before any connection', async () => {
    const local = receiver.url.replace('127.0.0.1', 'localhost')
    const result = await postWebhook(local, {}, '{}')
    expect(result.statusCode).toBeNull()
    expect(result.error).toMatch(/private address/)
    expect(receiver.received).toEqual([])
  })

  test('public addresses pass; production refuses http:// and WEBHOOK_ALLOW_PRIVATE', () => {
    expect(isPublicAddress('93.184.215.14')).toBe(true)
    expect(isPublicAddress('2606:2800:21f:cb07:6820:80da:af6b:8b2c')).toBe(true)
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '::1',
      'fe80::1',
    ]) {
      expect(isPublicAddress(a), a).toBe(false)
    }
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://x/y',
      SESSION_SECRET: 'x'.repeat(40),
      PUBLIC_URL: 'https://writ.example',
      SMTP_URL: 'smtp://mail.example',
      STRIPE_SECRET_KEY: 'sk_live_x',
      STRIPE_WEBHOOK_SECRET: 'whsec_x',
    }
    expect(() => parseEnv(production)).not.toThrow()
    expect(() => parseEnv({ ...production, WEBHOOK_ALLOW_PRIVATE: 'true' })).toThrow(
      /WEBHOOK_ALLOW_PRIVATE/,
    )
  })

  test('redirects are not followed: a 3xx is a failed attempt, and its target is never called', async () => {
    setEnv({ WEBHOOK_ALLOW_PRIVATE: 'true' })
    try {
      const target = await startReceiver()
      const redirecting = http.createServer((_, res) =>
        res.writeHead(307, { Location: target.url }).end(),
      )
      await new Promise<void>((r) => redirecting.listen(0, '127.0.0.1', r))
      const url = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/`
      const result = await postWebhook(url, { 'Content-Type': 'application/json' }, '{}')
      expect(result.statusCode).toBe(307)
      expect(target.received).toEqual([])
      expect(target.unverified).toBe(0)
      redirecting.close()
      await target.close()
    } finally {
      setEnv({ WEBHOOK_ALLOW_PRIVATE: 'false' })
    }
  })
})
