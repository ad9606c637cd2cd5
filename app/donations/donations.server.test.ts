import http from 'node:http'
import express from 'express'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { feeCoverCents } from '#app/donations/schema'
import { donationSummary } from '#db/queries/metrics'
import { resetEnv } from '#app/utils/env.server'
import type * as DonationsServer from '#app/donations/donations.server'
import type * as DonateRoute from '#app/routes/donate._index'
import type * as WebhookRoute from '#app/routes/webhooks.stripe'
import type * as ThanksRoute from '#app/routes/donate.thanks'
// (renamed: the React hooks lint rule reads any use* call as a hook)
import { useAppDatabase as cloneAppDatabase } from '#tests/setup/db'
import { startFakeStripe, type FakeEvent, type FakeStripe } from '../../server/fakes/stripe'
import { originCheck } from '../../server/security'

// App modules read the environment when first imported (i18n cookies), so they are imported
// once the test database and the fake are in place.
type Server = typeof DonationsServer
let getCampaignDonationTotals: Server['getCampaignDonationTotals']
let openBillingPortal: Server['openBillingPortal']
let requestManageLink: Server['requestManageLink']
let donateAction: (typeof DonateRoute)['action']
let webhookAction: (typeof WebhookRoute)['action']
let thanksLoader: (typeof ThanksRoute)['loader']

const db = cloneAppDatabase()
let stripe: FakeStripe
const SLUG = 'stop-red-notice-detentions'
let campaignId: string

beforeAll(async () => {
  // Webhooks are not sent by the fake here: each test delivers them itself, as it likes.
  stripe = await startFakeStripe({ webhookUrl: null })
  Object.assign(process.env, {
    PUBLIC_URL: 'http://localhost:3999',
    STRIPE_SECRET_KEY: stripe.secretKey,
    STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
    STRIPE_API_BASE: stripe.url,
    // These tests call the actions directly, without a client IP ('unknown'); the limits on the
    // donate form are tested in app/safety/safety-limits.test.ts.
    RATE_LIMIT_ALLOW_IPS: 'unknown',
  })
  resetEnv()
  ;({ getCampaignDonationTotals, openBillingPortal, requestManageLink } =
    await import('#app/donations/donations.server'))
  ;({ action: donateAction } = await import('#app/routes/donate._index'))
  ;({ action: webhookAction } = await import('#app/routes/webhooks.stripe'))
  ;({ loader: thanksLoader } = await import('#app/routes/donate.thanks'))
  ;[{ id: campaignId }] = await db.sql<
    { id: string }[]
  >`select id from campaigns where slug = ${SLUG}`
})

afterAll(async () => {
  await stripe?.close()
})

let emailCounter = 0
const uniqueEmail = (name: string) => `${name}-${++emailCounter}-${Date.now()}@example.org`

/** Posts the donate form, as a browser would, and returns the fake's Checkout Session id. */
async function donate(fields: Record<string, string>, slug: string | null = SLUG) {
  const body = new URLSearchParams({
    frequency: 'once',
    firstName: 'Ana',
    lastName: 'Díaz',
    ...fields,
  })
  const path = slug ? `/c/${slug}/donate` : '/donate'
  const response = await donateAction({
    request: new Request(`http://localhost:3999${path}?lang=en`, { method: 'POST', body }),
    params: slug ? { slug } : {},
    context: { cspNonce: '' },
  })
  return response
}

async function checkout(fields: Record<string, string>, slug: string | null = SLUG) {
  const response = (await donate(fields, slug)) as Response
  expect(response.status).toBe(303)
  const location = response.headers.get('location')!
  expect(location.startsWith(`${stripe.url}/checkout/cs_test_`)).toBe(true)
  return location.split('/').pop()!
}

function webhookRequest(payload: string, signature: string | null) {
  const headers = new Headers({ 'content-type': 'application/json' })
  if (signature) headers.set('stripe-signature', signature)
  return webhookAction({
    request: new Request('http://localhost:3999/webhooks/stripe', {
      method: 'POST',
      headers,
      body: payload,
    }),
    params: {},
    context: { cspNonce: '' },
  })
}

/** Delivers events as Stripe would, signed; `times` copies of each, shuffled, all at once. */
async function deliver(events: FakeEvent[], times = 1) {
  const copies = events.flatMap((e) => Array.from({ length: times }, () => e))
  for (let i = copies.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[copies[i], copies[j]] = [copies[j], copies[i]]
  }
  const responses = await Promise.all(
    copies.map((e) => {
      const payload = JSON.stringify(e)
      return webhookRequest(payload, stripe.sign(payload))
    }),
  )
  for (const r of responses) expect(r.status).toBe(200)
  return responses
}

const donationsFor = (where: { session?: string; subscription?: string; email?: string }) =>
  db.sql<
    {
      status: string
      amountCents: number
      recurring: boolean
      stripeInvoiceId: string | null
      stripePaymentIntentId: string | null
      campaignId: string | null
      supporterId: string | null
      source: string | null
      ref: string | null
      feeCoverCents: number
    }[]
  >`
    select d.* from donations d left join supporters s on s.id = d.supporter_id
    where (${where.session ?? null}::text is null or d.stripe_checkout_session_id = ${where.session ?? null})
      and (${where.subscription ?? null}::text is null or d.stripe_subscription_id = ${where.subscription ?? null})
      and (${where.email ?? null}::text is null or s.email = ${where.email ?? null})
    order by d.created_at, d.paid_at`

const receiptsTo = async (email: string) =>
  (
    await db.sql<{ n: number }[]>`
      select count(*)::int as n from outbound_emails
      where to_address = ${email} and template = 'donation-receipt'`
  )[0].n

const subscriptionOf = (sessionId: string) =>
  stripe.state.sessions.get(sessionId)!.subscription as string

describe('checkout', () => {
  test('a valid form creates a Checkout Session with metadata and 303s to it', async () => {
    const email = uniqueEmail('meta')
    const sessionId = await checkout({ amount: '25', email, source: 'newsletter', ref: 'abc123' })
    const session = stripe.state.sessions.get(sessionId)!
    expect(session).toMatchObject({
      mode: 'payment',
      amount_total: 2500,
      customer_email: email,
      submit_type: 'donate',
      success_url: `http://localhost:3999/c/${SLUG}/donate/thanks?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `http://localhost:3999/c/${SLUG}/donate?canceled=1`,
    })
    const [supporter] = await db.sql<
      { id: string }[]
    >`select id from supporters where email = ${email}`
    expect(session.metadata).toMatchObject({
      app: 'writ',
      campaign_id: campaignId,
      supporter_id: supporter.id,
      source: 'newsletter',
      ref: 'abc123',
    })
  })

  test('a double-click (the same submission twice, at once) creates one session', async () => {
    const before = stripe.state.sessions.size
    const fields = { amount: '50', email: uniqueEmail('double'), formId: crypto.randomUUID() }
    const [a, b] = (await Promise.all([donate(fields), donate(fields)])) as Response[]
    expect(a.headers.get('location')).toBe(b.headers.get('location'))
    expect(stripe.state.sessions.size).toBe(before + 1)
  })

  test('an "other" amount, cover-the-fees, and the general fund at /donate', async () => {
    const sessionId = await checkout(
      { amount: 'other', customAmount: '$37.50', coverFees: 'on', email: uniqueEmail('other') },
      null,
    )
    const session = stripe.state.sessions.get(sessionId)!
    expect(session.amount_total).toBe(3750 + feeCoverCents(3750))
    expect(session.success_url).toBe(
      'http://localhost:3999/donate/thanks?session_id={CHECKOUT_SESSION_ID}',
    )
    expect((session.metadata as Record<string, string>).campaign_id).toBe('')
  })

  test('bad amounts are refused with 400 and a field error; nothing reaches Stripe', async () => {
    const before = stripe.state.sessions.size
    for (const amount of ['0.50', '10001', 'abc', '']) {
      const res = (await donate({ amount, email: uniqueEmail('bad') })) as unknown as {
        init: { status: number }
        data: { result: { error: Record<string, string[]> } }
      }
      expect(res.init.status).toBe(400)
      expect(res.data.result.error.amount?.[0]).toMatch(/^donations:errors\./)
    }
    const res = (await donate({ amount: '10', email: 'not-an-email' })) as unknown as {
      init: { status: number }
      data: { result: { error: Record<string, string[]> } }
    }
    expect(res.init.status).toBe(400)
    expect(res.data.result.error.email).toEqual(['errors.email'])
    expect(stripe.state.sessions.size).toBe(before)
  })

  test('monthly gifts reuse one Price per amount (by lookup key)', async () => {
    await checkout({ amount: '15', frequency: 'monthly', email: uniqueEmail('price-a') })
    await checkout({ amount: '15', frequency: 'monthly', email: uniqueEmail('price-b') })
    const prices = [...stripe.state.prices.values()].filter(
      (p) => p.lookup_key === 'writ_monthly_usd_1500',
    )
    expect(prices).toHaveLength(1)
    expect(prices[0]).toMatchObject({ unit_amount: 1500, recurring: { interval: 'month' } })
  })
})

test('a typed email never binds Checkout to the Stripe customer stored for that address', async () => {
  // A monthly donor's gift leaves a Stripe customer on file for their address.
  const email = uniqueEmail('returning')
  const first = await checkout({ amount: '10', frequency: 'monthly', email })
  await deliver(await stripe.completeCheckout(first))
  const customer = stripe.state.sessions.get(first)!.customer as string
  expect(customer).toMatch(/^cus_/)
  // Anyone can type that address: the next Checkout Session is not created with their customer.
  for (const frequency of ['once', 'monthly']) {
    const sent = stripe.requests.length
    const next = await checkout({ amount: '25', frequency, email })
    const creates = stripe.requests
      .slice(sent)
      .filter((r) => r.method === 'POST' && r.path === '/v1/checkout/sessions')
    expect(creates).toHaveLength(1)
    expect(creates[0].params.customer).toBeUndefined()
    expect(creates[0].params.customer_email).toBe(email)
    expect(stripe.state.sessions.get(next)).toMatchObject({ customer: null, customer_email: email })
    // nor is the customer looked up
    expect(stripe.requests.slice(sent).some((r) => r.path.startsWith('/v1/customers'))).toBe(false)
  }
})

describe('webhooks: each event type delivered 5 times, shuffled and concurrent, has one effect', () => {
  test('checkout.session.completed (one-time) → one paid donation and one receipt', async () => {
    const email = uniqueEmail('once')
    const sessionId = await checkout({ amount: '25', email, source: 'fb', ref: 'r1' })
    const events = await stripe.completeCheckout(sessionId)
    expect(events.map((e) => e.type)).toEqual(['checkout.session.completed'])
    const before = await getCampaignDonationTotals(db.sql, campaignId)
    await deliver(events, 5)
    const rows = await donationsFor({ session: sessionId })
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      status: 'paid',
      amountCents: 2500,
      recurring: false,
      campaignId,
      source: 'fb',
      ref: 'r1',
    })
    expect(rows[0].supporterId).toBeTruthy()
    expect(await receiptsTo(email)).toBe(1)
    const after = await getCampaignDonationTotals(db.sql, campaignId)
    expect(after.totalCents - before.totalCents).toBe(2500)
    const [{ n }] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from stripe_events where id = ${events[0].id}`
    expect(n).toBe(1)
  })

  test('charge.refunded → the donation is refunded once, and the total drops', async () => {
    const email = uniqueEmail('refund')
    const sessionId = await checkout({ amount: '40', email })
    await deliver(await stripe.completeCheckout(sessionId))
    const mid = await getCampaignDonationTotals(db.sql, campaignId)
    const refund = await stripe.refund(sessionId)
    expect(refund.map((e) => e.type)).toEqual(['charge.refunded'])
    await deliver(refund, 5)
    const rows = await donationsFor({ session: sessionId })
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ status: 'refunded', amountCents: 4000 })
    const after = await getCampaignDonationTotals(db.sql, campaignId)
    expect(mid.totalCents - after.totalCents).toBe(4000)
  })

  test('checkout.session.completed + invoice.paid (monthly) → one charge for the first invoice', async () => {
    const email = uniqueEmail('monthly')
    const sessionId = await checkout({ amount: '10', frequency: 'monthly', email })
    const events = await stripe.completeCheckout(sessionId)
    const handled = events.filter((e) => e.type !== 'customer.subscription.created')
    expect(handled.map((e) => e.type).sort()).toEqual([
      'checkout.session.completed',
      'invoice.paid',
    ])
    await deliver(events, 5)
    const subscriptionId = subscriptionOf(sessionId)
    const rows = await donationsFor({ subscription: subscriptionId })
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      status: 'paid',
      amountCents: 1000,
      recurring: true,
      campaignId,
    })
    expect(rows[0].stripeInvoiceId).toBe(stripe.state.sessions.get(sessionId)!.invoice)
    expect(rows[0].stripePaymentIntentId).toMatch(/^pi_/)
    const [sub] =
      await db.sql`select status, amount_cents from donation_subscriptions where stripe_subscription_id = ${subscriptionId}`
    expect(sub).toMatchObject({ status: 'active', amountCents: 1000 })
    expect(await receiptsTo(email)).toBe(1)
  })

  test('invoice.paid for each renewal → its own charge row (unique by invoice)', async () => {
    const email = uniqueEmail('renew')
    const sessionId = await checkout({ amount: '12', frequency: 'monthly', email })
    await deliver(await stripe.completeCheckout(sessionId))
    const subscriptionId = subscriptionOf(sessionId)
    const second = await stripe.renewSubscription(subscriptionId)
    const third = await stripe.renewSubscription(subscriptionId)
    await deliver([...second, ...third], 5)
    const rows = await donationsFor({ subscription: subscriptionId })
    expect(rows).toHaveLength(3)
    expect(rows.every((r) => r.status === 'paid' && r.amountCents === 1200)).toBe(true)
    expect(new Set(rows.map((r) => r.stripeInvoiceId)).size).toBe(3)
    expect(await receiptsTo(email)).toBe(3)
  })

  test('invoice.payment_failed → one failed charge; no receipt for it', async () => {
    const email = uniqueEmail('failed')
    const sessionId = await checkout({ amount: '20', frequency: 'monthly', email })
    await deliver(await stripe.completeCheckout(sessionId))
    const subscriptionId = subscriptionOf(sessionId)
    const failed = await stripe.failSubscriptionPayment(subscriptionId)
    await deliver(failed, 5)
    const rows = await donationsFor({ subscription: subscriptionId })
    expect(rows.map((r) => r.status).sort()).toEqual(['failed', 'paid'])
    expect(await receiptsTo(email)).toBe(1)
  })

  test('customer.subscription.deleted → the monthly gift is canceled once; past charges stay', async () => {
    const email = uniqueEmail('cancel')
    const sessionId = await checkout({ amount: '30', frequency: 'monthly', email })
    await deliver(await stripe.completeCheckout(sessionId))
    const subscriptionId = subscriptionOf(sessionId)
    const canceled = await stripe.cancelSubscription(subscriptionId)
    await deliver(canceled, 5)
    const subs = await db.sql<{ status: string; canceledAt: Date | null }[]>`
      select status, canceled_at from donation_subscriptions where stripe_subscription_id = ${subscriptionId}`
    expect(subs).toHaveLength(1)
    expect(subs[0].status).toBe('canceled')
    expect(subs[0].canceledAt).toBeInstanceOf(Date)
    const rows = await donationsFor({ subscription: subscriptionId })
    expect(rows.map((r) => r.status)).toEqual(['paid'])
  })
})

describe('webhooks: out-of-order delivery', () => {
  test('a refund that arrives before the payment is recorded, and the late payment event keeps it refunded', async () => {
    const email = uniqueEmail('early-refund')
    const sessionId = await checkout({ amount: '45', email })
    const completed = await stripe.completeCheckout(sessionId)
    const refund = await stripe.refund(sessionId)
    await deliver(refund)
    let rows = await donationsFor({ session: sessionId })
    expect(rows).toHaveLength(1)
    expect(rows[0].status).toBe('refunded')
    await deliver(completed)
    rows = await donationsFor({ session: sessionId })
    expect(rows).toHaveLength(1)
    expect(rows[0].status).toBe('refunded')
    expect(await receiptsTo(email)).toBe(0)
  })

  test('a failed charge that Stripe retries successfully becomes paid, whichever event comes last', async () => {
    const email = uniqueEmail('retry')
    const sessionId = await checkout({ amount: '22', frequency: 'monthly', email })
    await deliver(await stripe.completeCheckout(sessionId))
    const subscriptionId = subscriptionOf(sessionId)
    const failed = await stripe.failSubscriptionPayment(subscriptionId)
    const invoiceId = failed[0].data.object.id as string
    await deliver(failed)
    expect(
      (await donationsFor({ subscription: subscriptionId })).find(
        (r) => r.stripeInvoiceId === invoiceId,
      )?.status,
    ).toBe('failed')
    await deliver(await stripe.payInvoice(invoiceId))
    let rows = await donationsFor({ subscription: subscriptionId })
    expect(rows).toHaveLength(2)
    expect(rows.find((r) => r.stripeInvoiceId === invoiceId)).toMatchObject({
      status: 'paid',
      amountCents: 2200,
    })
    // Next month the same story, but the failure notice arrives after the retry's success:
    // the re-fetched invoice says paid, so the late event does not mark it failed.
    const lateFailure = await stripe.failSubscriptionPayment(subscriptionId)
    const secondInvoice = lateFailure[0].data.object.id as string
    await deliver(await stripe.payInvoice(secondInvoice))
    await deliver(lateFailure)
    rows = await donationsFor({ subscription: subscriptionId })
    expect(rows).toHaveLength(3)
    expect(rows.find((r) => r.stripeInvoiceId === secondInvoice)?.status).toBe('paid')
    expect(await receiptsTo(email)).toBe(3)
  })

  test('checkout.session.async_payment_succeeded → paid once with one receipt; nothing before it', async () => {
    const email = uniqueEmail('async-ok')
    const sessionId = await checkout({ amount: '35', email })
    const before = await getCampaignDonationTotals(db.sql, campaignId)
    await deliver(await stripe.completeCheckoutPending(sessionId), 2)
    expect(await donationsFor({ session: sessionId })).toHaveLength(0)
    expect(await receiptsTo(email)).toBe(0)
    const settled = await stripe.settleAsyncPayment(sessionId, true)
    expect(settled.map((e) => e.type)).toEqual(['checkout.session.async_payment_succeeded'])
    await deliver(settled, 5)
    const rows = await donationsFor({ session: sessionId })
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ status: 'paid', amountCents: 3500, recurring: false })
    expect(await receiptsTo(email)).toBe(1)
    const after = await getCampaignDonationTotals(db.sql, campaignId)
    expect(after.totalCents - before.totalCents).toBe(3500)
  })

  test('checkout.session.async_payment_failed → one failed donation, no receipt, no money', async () => {
    const email = uniqueEmail('async-failed')
    const sessionId = await checkout({ amount: '36', email })
    const before = await getCampaignDonationTotals(db.sql, campaignId)
    await deliver(await stripe.completeCheckoutPending(sessionId))
    const failed = await stripe.settleAsyncPayment(sessionId, false)
    expect(failed.map((e) => e.type)).toEqual(['checkout.session.async_payment_failed'])
    await deliver(failed, 5)
    const rows = await donationsFor({ session: sessionId })
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ status: 'failed', amountCents: 3600 })
    expect(await receiptsTo(email)).toBe(0)
    const after = await getCampaignDonationTotals(db.sql, campaignId)
    expect(after.totalCents).toBe(before.totalCents)
  })

  test('charge.dispute.created → disputed and out of the totals; closed as won → paid again', async () => {
    const email = uniqueEmail('dispute-won')
    const sessionId = await checkout({ amount: '45', email })
    await deliver(await stripe.completeCheckout(sessionId))
    const paid = await getCampaignDonationTotals(db.sql, campaignId)
    const paidSummary = await donationSummary(db.sql, campaignId)
    const opened = await stripe.dispute(sessionId)
    expect(opened.map((e) => e.type)).toEqual(['charge.dispute.created'])
    await deliver(opened, 5)
    expect((await donationsFor({ session: sessionId }))[0].status).toBe('disputed')
    const disputed = await getCampaignDonationTotals(db.sql, campaignId)
    expect(paid.totalCents - disputed.totalCents).toBe(4500)
    const disputedSummary = await donationSummary(db.sql, campaignId)
    expect(paidSummary.totalCents - disputedSummary.totalCents).toBe(4500)
    expect(paidSummary.oneTimeCount - disputedSummary.oneTimeCount).toBe(1)

    const closed = await stripe.closeDispute(opened[0].data.object.id as string, 'won')
    expect(closed.map((e) => e.type)).toEqual(['charge.dispute.closed'])
    await deliver(closed, 5)
    expect((await donationsFor({ session: sessionId }))[0].status).toBe('paid')
    expect((await getCampaignDonationTotals(db.sql, campaignId)).totalCents).toBe(paid.totalCents)
    expect((await donationSummary(db.sql, campaignId)).totalCents).toBe(paidSummary.totalCents)
    // one receipt: the dispute's end sends nothing
    expect(await receiptsTo(email)).toBe(1)
  })

  test('a lost dispute stays disputed and out of the totals, whatever order the events come in', async () => {
    const email = uniqueEmail('dispute-lost')
    const sessionId = await checkout({ amount: '46', frequency: 'monthly', email })
    await deliver(await stripe.completeCheckout(sessionId))
    const paid = await getCampaignDonationTotals(db.sql, campaignId)
    const opened = await stripe.dispute(stripe.state.sessions.get(sessionId)!.invoice as string)
    const closed = await stripe.closeDispute(opened[0].data.object.id as string, 'lost')
    // the close arrives first, then the opening, each several times
    await deliver(closed, 3)
    await deliver(opened, 3)
    const rows = await donationsFor({ session: sessionId })
    expect(rows.map((r) => r.status)).toEqual(['disputed'])
    const after = await getCampaignDonationTotals(db.sql, campaignId)
    expect(paid.totalCents - after.totalCents).toBe(4600)
  })

  test('a dispute that arrives before the payment is recorded records the payment, disputed', async () => {
    const email = uniqueEmail('dispute-first')
    const sessionId = await checkout({ amount: '47', email })
    const completed = await stripe.completeCheckout(sessionId)
    await deliver(await stripe.dispute(sessionId))
    await deliver(completed)
    const rows = await donationsFor({ session: sessionId })
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ status: 'disputed', amountCents: 4700 })
  })

  test('a whole monthly lifecycle, every event 5 times, all shuffled together', async () => {
    const email = uniqueEmail('chaos')
    const sessionId = await checkout({ amount: '18', frequency: 'monthly', email })
    const events = [...(await stripe.completeCheckout(sessionId))]
    const subscriptionId = subscriptionOf(sessionId)
    const renewal = await stripe.renewSubscription(subscriptionId)
    events.push(...renewal)
    const renewalInvoice = renewal[0].data.object.id as string
    events.push(...(await stripe.failSubscriptionPayment(subscriptionId)))
    events.push(...(await stripe.refund(renewalInvoice)))
    events.push(...(await stripe.cancelSubscription(subscriptionId)))
    await deliver(events, 5)
    const rows = await donationsFor({ subscription: subscriptionId })
    expect(rows.map((r) => r.status).sort()).toEqual(['failed', 'paid', 'refunded'])
    expect(rows.find((r) => r.stripeInvoiceId === renewalInvoice)?.status).toBe('refunded')
    const [sub] =
      await db.sql`select status from donation_subscriptions where stripe_subscription_id = ${subscriptionId}`
    expect(sub.status).toBe('canceled')
    expect(await receiptsTo(email)).toBeLessThanOrEqual(2)
    expect(await receiptsTo(email)).toBeGreaterThanOrEqual(1)
  })
})

describe('webhooks: signatures', () => {
  async function completedEvent() {
    const sessionId = await checkout({ amount: '11', email: uniqueEmail('sig') })
    const [event] = await stripe.completeCheckout(sessionId)
    return { sessionId, payload: JSON.stringify(event) }
  }

  test('a forged signature gets 400 and stores nothing', async () => {
    const { sessionId, payload } = await completedEvent()
    const forged = `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`
    expect((await webhookRequest(payload, forged)).status).toBe(400)
    const otherSecret = (await import('../../server/fakes/stripe')).stripeSignatureHeader(
      payload,
      'whsec_wrong',
    )
    expect((await webhookRequest(payload, otherSecret)).status).toBe(400)
    expect((await webhookRequest(payload, null)).status).toBe(400)
    // a valid signature over different bytes
    const tampered = payload.replace('"amount_total":1100', '"amount_total":1')
    expect((await webhookRequest(tampered, stripe.sign(payload))).status).toBe(400)
    expect(await donationsFor({ session: sessionId })).toHaveLength(0)
  })

  test('a timestamp older than 300 s gets 400; one just inside the tolerance is accepted', async () => {
    const { sessionId, payload } = await completedEvent()
    const old = Math.floor(Date.now() / 1000) - 301
    expect((await webhookRequest(payload, stripe.sign(payload, old))).status).toBe(400)
    expect(await donationsFor({ session: sessionId })).toHaveLength(0)
    const recent = Math.floor(Date.now() / 1000) - 290
    expect((await webhookRequest(payload, stripe.sign(payload, recent))).status).toBe(200)
    expect(await donationsFor({ session: sessionId })).toHaveLength(1)
  })

  test("the origin check lets Stripe's POST (no Origin, no Sec-Fetch-Site) through; a cross-site browser POST gets 403", async () => {
    const app = express()
    app.use(originCheck())
    app.post('/webhooks/stripe', (_req, res) => void res.send('reached'))
    const server = http.createServer(app)
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    const { port } = server.address() as { port: number }
    const post = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request(
          { host: '127.0.0.1', port, path: '/webhooks/stripe', method: 'POST', headers },
          (res) => {
            res.resume()
            resolve(res.statusCode ?? 0)
          },
        )
        req.on('error', reject)
        req.end('{}')
      })
    try {
      const stripeHeaders = {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        'stripe-signature': 't=1,v1=x',
      }
      expect(await post(stripeHeaders)).toBe(200)
      expect(await post({ ...stripeHeaders, origin: 'https://evil.example' })).toBe(403)
      expect(await post({ ...stripeHeaders, 'sec-fetch-site': 'cross-site' })).toBe(403)
    } finally {
      server.close()
    }
  })
})

describe('manage my monthly gift', () => {
  test('a monthly donor gets a one-time link that opens the Billing Portal once', async () => {
    const email = uniqueEmail('manage')
    const sessionId = await checkout({ amount: '10', frequency: 'monthly', email })
    await deliver(await stripe.completeCheckout(sessionId))
    await requestManageLink(email, 'es')
    const [mail] = await db.sql<{ subject: string; textBody: string }[]>`
      select subject, text_body from outbound_emails
      where to_address = ${email} and template = 'donation-manage-link'`
    expect(mail.subject).toMatch(/donación mensual/)
    const token = /\/donate\/manage\/([A-Za-z0-9_-]+)/.exec(mail.textBody)![1]
    const [stored] =
      await db.sql`select purpose, subject_id from email_tokens where purpose = 'manage_donation' and subject_id = ${stripe.state.sessions.get(sessionId)!.customer as string}`
    expect(stored).toBeTruthy()
    // only the hash is stored
    const raw =
      await db.sql`select 1 from email_tokens where encode(token_hash, 'escape') like ${'%' + token + '%'}`
    expect(raw).toHaveLength(0)
    // asking again at once sends nothing more (no inbox flooding)
    await requestManageLink(email, 'es')
    const [{ n }] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from outbound_emails
      where to_address = ${email} and template = 'donation-manage-link'`
    expect(n).toBe(1)
    const url = await openBillingPortal(token)
    expect(url).toMatch(new RegExp(`^${stripe.url}/portal/bps_`))
    expect(await openBillingPortal(token)).toBeUndefined()
  })

  test('an address with no monthly gift gets no email', async () => {
    const email = uniqueEmail('nobody')
    await requestManageLink(email, 'en')
    const rows = await db.sql`select 1 from outbound_emails where to_address = ${email}`
    expect(rows).toHaveLength(0)
  })
})

describe('/donate/thanks', () => {
  /** The thank-you page as Stripe's redirect lands on it: its data, or the status it was refused with. */
  async function thanks(sessionId: string, ip: string) {
    try {
      const page = await thanksLoader({
        request: new Request(
          `http://localhost:3999/c/${SLUG}/donate/thanks?session_id=${sessionId}`,
        ),
        params: { slug: SLUG },
        context: { cspNonce: '', clientIp: ip },
      })
      return { status: 200, page: page as { summary: { amountCents: number } | null } }
    } catch (thrown) {
      const init = (thrown as { init?: { status?: number; headers?: Record<string, string> } }).init
      return { status: init?.status ?? 500, retryAfter: Number(init?.headers?.['Retry-After']) }
    }
  }
  const retrievals = (sessionId: string) =>
    stripe.requests.filter(
      (r) => r.method === 'GET' && r.path === `/v1/checkout/sessions/${sessionId}`,
    ).length

  test('reloads show the gift and ask Stripe about the session once', async () => {
    const sessionId = await checkout({ amount: '27', email: uniqueEmail('thanks') })
    await deliver(await stripe.completeCheckout(sessionId))
    for (let i = 0; i < 5; i++) {
      const { status, page } = await thanks(sessionId, `198.51.100.${120 + i}`)
      expect(status).toBe(200)
      expect(page?.summary?.amountCents).toBe(2700)
    }
    expect(retrievals(sessionId)).toBe(1)
  })

  test('a burst of loads from one IP gets 429 with Retry-After; another IP is unaffected', async () => {
    const sessionId = await checkout({ amount: '28', email: uniqueEmail('thanks-burst') })
    await deliver(await stripe.completeCheckout(sessionId))
    const ip = '198.51.100.150'
    const statuses: number[] = []
    let retryAfter = 0
    for (let i = 0; i < 40; i++) {
      // made-up session ids: each would be a call to Stripe
      const result = await thanks(`cs_test_madeup${i}`, ip)
      statuses.push(result.status)
      if (result.status === 429) retryAfter = result.retryAfter!
    }
    expect(statuses).toContain(429)
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true)
    expect(retryAfter).toBeGreaterThan(0)
    const madeUpRetrievals = stripe.requests.filter((r) =>
      r.path.startsWith('/v1/checkout/sessions/cs_test_madeup'),
    ).length
    expect(madeUpRetrievals).toBe(statuses.filter((s) => s === 200).length)
    expect((await thanks(sessionId, '198.51.100.151')).status).toBe(200)
  })
})

test('Stripe unreachable: the donate form answers 503 with Retry-After, and says so', async () => {
  const saved = process.env.STRIPE_API_BASE
  process.env.STRIPE_API_BASE = 'http://127.0.0.1:9' // discard port: nothing listens
  resetEnv()
  try {
    const res = (await donate({ amount: '25', email: uniqueEmail('down') })) as unknown as {
      init: { status: number; headers: Record<string, string> }
      data: { result: { error: Record<string, string[]> } }
    }
    expect(res.init.status).toBe(503)
    expect(res.init.headers['Retry-After']).toBe('30')
    expect(res.data.result.error['']).toEqual(['donations:page.unavailable'])
  } finally {
    process.env.STRIPE_API_BASE = saved
    resetEnv()
  }
})
