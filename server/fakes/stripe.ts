// A local fake of the small part of the Stripe API that Writ uses, for `npm start` without
// Stripe keys and for tests. It speaks stripe-node's wire format (form-encoded requests, JSON
// responses, Idempotency-Key), serves a "test checkout" page at each session's URL, and sends
// correctly signed webhooks to Writ. It holds no card data and moves no money.
// Never active in production: it refuses to start there, and env.server.ts refuses
// STRIPE_API_BASE when NODE_ENV=production.
// See docs/decisions/0400-donations-model-and-fake-stripe.md.
import { createHmac, randomBytes } from 'node:crypto'
import http from 'node:http'

type Obj = Record<string, unknown>
type Metadata = Record<string, string>

export type FakeEvent = { id: string; type: string; created: number; data: { object: Obj } }
export type FakeRequest = { method: string; path: string; query: Obj; params: Obj }
export type Delivery = { eventId: string; type: string; status: number | 'error'; body: string }

export type FakeStripe = {
  url: string
  secretKey: string
  webhookSecret: string
  /** Where webhooks go; null keeps them in `events` only (integration tests deliver them). */
  webhookUrl: string | null
  events: FakeEvent[]
  deliveries: Delivery[]
  /** Every API request, as parsed: what Writ asked Stripe for. */
  requests: FakeRequest[]
  state: FakeState
  /** The test checkout page's "Pay" button. Returns the events it produced. */
  completeCheckout(sessionId: string): Promise<FakeEvent[]>
  /**
   * A one-time checkout paid by a method that settles later (a bank debit): the session completes
   * unpaid (`checkout.session.completed`, payment_status `unpaid`) until settleAsyncPayment.
   */
  completeCheckoutPending(sessionId: string): Promise<FakeEvent[]>
  /** That payment settles: `checkout.session.async_payment_succeeded`, or `…_failed`. */
  settleAsyncPayment(sessionId: string, succeeded: boolean): Promise<FakeEvent[]>
  /** The donor's bank disputes a charge (by charge, payment intent, invoice or session id). */
  dispute(id: string): Promise<FakeEvent[]>
  /** The dispute ends (`charge.dispute.closed`): won, lost, or an inquiry closed (warning_closed). */
  closeDispute(disputeId: string, status: 'won' | 'lost' | 'warning_closed'): Promise<FakeEvent[]>
  /** Charges a monthly gift again: a new paid invoice and `invoice.paid`. */
  renewSubscription(subscriptionId: string): Promise<FakeEvent[]>
  /** A monthly charge that fails: an open invoice and `invoice.payment_failed`. */
  failSubscriptionPayment(subscriptionId: string): Promise<FakeEvent[]>
  /** Stripe's retry of a failed invoice succeeds: the same invoice is paid, `invoice.paid`. */
  payInvoice(invoiceId: string): Promise<FakeEvent[]>
  /** Cancels a subscription: `customer.subscription.deleted`. */
  cancelSubscription(subscriptionId: string): Promise<FakeEvent[]>
  /** Refunds a payment (by charge, payment intent, invoice or checkout session id). */
  refund(id: string, amountCents?: number): Promise<FakeEvent[]>
  /** A signed delivery of any payload, as Stripe would send it. */
  sign(payload: string, timestamp?: number): string
  close(): Promise<void>
}

export type FakeState = {
  customers: Map<string, Obj>
  prices: Map<string, Obj>
  sessions: Map<string, Obj>
  paymentIntents: Map<string, Obj>
  charges: Map<string, Obj>
  subscriptions: Map<string, Obj>
  invoices: Map<string, Obj>
  invoicePayments: Map<string, Obj>
  portalSessions: Map<string, Obj>
  disputes: Map<string, Obj>
}

const API_VERSION = '2026-10-28.endive'

/** `t=…,v1=…`: the Stripe-Signature header for a payload, HMAC-SHA256 with the endpoint secret. */
export function stripeSignatureHeader(payload: string, secret: string, timestamp?: number): string {
  const t = timestamp ?? Math.floor(Date.now() / 1000)
  const v1 = createHmac('sha256', secret).update(`${t}.${payload}`, 'utf8').digest('hex')
  return `t=${t},v1=${v1}`
}

/** Parses stripe-node's form encoding: `a[b][0][c]=v` → { a: { b: [ { c: 'v' } ] } }. */
export function parseStripeForm(body: string): Obj {
  const root: Obj = {}
  for (const [key, value] of new URLSearchParams(body)) {
    const head = key.split('[')[0]
    const rest = [...key.slice(head.length).matchAll(/\[([^\]]*)\]/g)].map((m) => m[1])
    const path = [head, ...rest]
    let node: Obj = root
    path.forEach((part, i) => {
      if (i === path.length - 1) {
        node[part] = value
      } else {
        node[part] ??= {}
        node = node[part] as Obj
      }
    })
  }
  return arrayify(root) as Obj
}

function arrayify(value: unknown): unknown {
  if (!value || typeof value !== 'object') return value
  const o = value as Obj
  const keys = Object.keys(o)
  const converted = Object.fromEntries(keys.map((k) => [k, arrayify(o[k])]))
  if (keys.length && keys.every((k) => /^\d+$/.test(k))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => converted[k])
  }
  return converted
}

const newId = (prefix: string) => `${prefix}_test_${randomBytes(12).toString('hex')}`
const now = () => Math.floor(Date.now() / 1000)
const clone = <T>(v: T): T => structuredClone(v)
const list = (data: Obj[], url: string) => ({ object: 'list', data, has_more: false, url })
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

class HttpError extends Error {
  constructor(
    public status: number,
    message: string,
    public code?: string,
  ) {
    super(message)
  }
}

export async function startFakeStripe(
  options: {
    port?: number
    host?: string
    webhookUrl?: string | null
    webhookSecret?: string
    secretKey?: string
  } = {},
): Promise<FakeStripe> {
  // npm start runs this in-process, so it is product code; a deployment must never start it.
  if (process.env.NODE_ENV === 'production') {
    throw new Error('The fake Stripe never runs with NODE_ENV=production')
  }
  const host = options.host ?? '127.0.0.1'
  const secretKey = options.secretKey ?? 'sk_test_fake'
  const webhookSecret = options.webhookSecret ?? `whsec_fake_${randomBytes(16).toString('hex')}`
  const state: FakeState = {
    customers: new Map(),
    prices: new Map(),
    sessions: new Map(),
    paymentIntents: new Map(),
    charges: new Map(),
    subscriptions: new Map(),
    invoices: new Map(),
    invoicePayments: new Map(),
    portalSessions: new Map(),
    disputes: new Map(),
  }
  const idempotent = new Map<string, { status: number; body: unknown }>()
  let base = ''

  const fake: FakeStripe = {
    url: '',
    secretKey,
    webhookSecret,
    webhookUrl: options.webhookUrl ?? null,
    events: [],
    deliveries: [],
    requests: [],
    state,
    completeCheckout: async (id) => deliver(completeCheckout(id)),
    completeCheckoutPending: async (id) => deliver(completeCheckout(id, { delayed: true })),
    settleAsyncPayment: async (id, succeeded) => deliver(settleAsyncPayment(id, succeeded)),
    dispute: async (id) => deliver(openDispute(id)),
    closeDispute: async (id, status) => deliver(closeDispute(id, status)),
    renewSubscription: async (id) => deliver(chargeSubscription(id, 'subscription_cycle', true)),
    failSubscriptionPayment: async (id) =>
      deliver(chargeSubscription(id, 'subscription_cycle', false)),
    payInvoice: async (id) => deliver(payInvoice(id)),
    cancelSubscription: async (id) => deliver(cancelSubscription(id)),
    refund: async (id, amount) => deliver(refund(id, amount)),
    sign: (payload, timestamp) => stripeSignatureHeader(payload, webhookSecret, timestamp),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }

  // --- the model ------------------------------------------------------------------------------

  function must(map: Map<string, Obj>, id: string, what: string): Obj {
    const found = map.get(id)
    if (!found) throw new HttpError(404, `No such ${what}: '${id}'`, 'resource_missing')
    return found
  }

  function emit(type: string, object: Obj): FakeEvent {
    const event = {
      id: newId('evt'),
      object: 'event',
      api_version: API_VERSION,
      created: now(),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      data: { object: clone(object) },
    } as FakeEvent
    fake.events.push(event)
    return event
  }

  function createCustomer(params: Obj): Obj {
    const customer = {
      id: newId('cus'),
      object: 'customer',
      email: (params.email as string) ?? null,
      name: (params.name as string) ?? null,
      metadata: (params.metadata as Metadata) ?? {},
      created: now(),
      livemode: false,
    }
    state.customers.set(customer.id, customer)
    return customer
  }

  function createPrice(params: Obj): Obj {
    const lookupKey = (params.lookup_key as string) ?? null
    if (lookupKey && [...state.prices.values()].some((p) => p.lookup_key === lookupKey)) {
      throw new HttpError(
        400,
        `A price (\`${lookupKey}\`) already uses that lookup key.`,
        'lookup_key_in_use',
      )
    }
    const recurring = params.recurring as Obj | undefined
    const price = {
      id: newId('price'),
      object: 'price',
      active: true,
      currency: (params.currency as string) ?? 'usd',
      unit_amount: Number(params.unit_amount),
      lookup_key: lookupKey,
      recurring: recurring
        ? { interval: recurring.interval ?? 'month', interval_count: 1, usage_type: 'licensed' }
        : null,
      type: recurring ? 'recurring' : 'one_time',
      product: newId('prod'),
      product_name: (params.product_data as Obj | undefined)?.name ?? 'Donation',
      metadata: {},
      created: now(),
      livemode: false,
    }
    state.prices.set(price.id, price)
    return price
  }

  function createSession(params: Obj): Obj {
    const mode = params.mode as string
    if (mode !== 'payment' && mode !== 'subscription') {
      throw new HttpError(400, 'mode must be payment or subscription')
    }
    const items = (params.line_items as Obj[] | undefined) ?? []
    if (!items.length) throw new HttpError(400, 'line_items is required')
    let amount = 0
    let subscriptionPrice: Obj | null = null
    for (const item of items) {
      const qty = Number(item.quantity ?? 1)
      if (item.price) {
        const price = must(state.prices, item.price as string, 'price')
        if (mode === 'subscription') subscriptionPrice = price
        amount += Number(price.unit_amount) * qty
      } else if (item.price_data) {
        const pd = item.price_data as Obj
        if (mode === 'subscription')
          throw new HttpError(400, 'subscriptions need a recurring price')
        amount += Number(pd.unit_amount) * qty
      }
    }
    if (!(amount > 0)) throw new HttpError(400, 'amount must be positive')
    if (params.customer) must(state.customers, params.customer as string, 'customer')
    for (const url of [params.success_url, params.cancel_url]) {
      if (typeof url !== 'string' || !/^https?:\/\//.test(url)) {
        throw new HttpError(400, 'success_url and cancel_url must be absolute URLs')
      }
    }
    const id = newId('cs')
    const session = {
      id,
      object: 'checkout.session',
      mode,
      status: 'open',
      payment_status: 'unpaid',
      amount_subtotal: amount,
      amount_total: amount,
      currency: 'usd',
      customer: (params.customer as string) ?? null,
      customer_email: (params.customer_email as string) ?? null,
      customer_details: null,
      client_reference_id: (params.client_reference_id as string) ?? null,
      metadata: (params.metadata as Metadata) ?? {},
      locale: (params.locale as string) ?? null,
      submit_type: (params.submit_type as string) ?? null,
      success_url: params.success_url,
      cancel_url: params.cancel_url,
      url: `${base}/checkout/${id}`,
      payment_intent: null,
      subscription: null,
      invoice: null,
      created: now(),
      expires_at: now() + 24 * 3600,
      livemode: false,
      // not part of Stripe's object, kept for completion
      _subscription_price: subscriptionPrice?.id ?? null,
      _subscription_metadata:
        ((params.subscription_data as Obj | undefined)?.metadata as Metadata) ?? {},
      _payment_metadata:
        ((params.payment_intent_data as Obj | undefined)?.metadata as Metadata) ?? {},
    }
    state.sessions.set(id, session)
    return session
  }

  function publicSession(s: Obj): Obj {
    return Object.fromEntries(Object.entries(s).filter(([k]) => !k.startsWith('_')))
  }

  function createPayment(amount: number, customer: string | null, metadata: Metadata) {
    const pi = {
      id: newId('pi'),
      object: 'payment_intent',
      amount,
      amount_received: amount,
      currency: 'usd',
      customer,
      metadata,
      status: 'succeeded',
      latest_charge: null as string | null,
      created: now(),
      livemode: false,
    }
    const charge = {
      id: newId('ch'),
      object: 'charge',
      amount,
      amount_captured: amount,
      amount_refunded: 0,
      captured: true,
      currency: 'usd',
      customer,
      metadata,
      paid: true,
      payment_intent: pi.id,
      refunded: false,
      status: 'succeeded',
      created: now(),
      livemode: false,
    }
    pi.latest_charge = charge.id
    state.paymentIntents.set(pi.id, pi)
    state.charges.set(charge.id, charge)
    return { pi, charge }
  }

  function createInvoice(sub: Obj, billingReason: string, paid: boolean): Obj {
    const item = ((sub.items as Obj).data as Obj[])[0]
    const price = item.price as Obj
    const amount = Number(price.unit_amount) * Number(item.quantity ?? 1)
    const customer = state.customers.get(sub.customer as string)
    const invoice: Obj = {
      id: newId('in'),
      object: 'invoice',
      customer: sub.customer,
      customer_email: customer?.email ?? null,
      currency: 'usd',
      amount_due: amount,
      amount_paid: paid ? amount : 0,
      amount_remaining: paid ? 0 : amount,
      attempt_count: 1,
      attempted: true,
      billing_reason: billingReason,
      status: paid ? 'paid' : 'open',
      parent: {
        type: 'subscription_details',
        quote_details: null,
        subscription_details: { subscription: sub.id, metadata: clone(sub.metadata) },
      },
      status_transitions: { finalized_at: now(), paid_at: paid ? now() : null },
      created: now(),
      livemode: false,
    }
    if (paid) recordInvoicePayment(invoice)
    state.invoices.set(invoice.id as string, invoice)
    sub.latest_invoice = invoice.id
    return invoice
  }

  function recordInvoicePayment(invoice: Obj) {
    const amount = Number(invoice.amount_due)
    const { pi, charge } = createPayment(amount, invoice.customer as string, {})
    const payment = {
      id: newId('inpay'),
      object: 'invoice_payment',
      invoice: invoice.id,
      amount_paid: amount,
      currency: 'usd',
      is_default: true,
      payment: { type: 'payment_intent', payment_intent: pi.id, charge: charge.id },
      status: 'paid',
      created: now(),
      livemode: false,
    }
    state.invoicePayments.set(payment.id, payment)
  }

  function payInvoice(id: string): FakeEvent[] {
    const invoice = must(state.invoices, id, 'invoice')
    if (invoice.status === 'paid') return []
    recordInvoicePayment(invoice)
    invoice.status = 'paid'
    invoice.amount_paid = invoice.amount_due
    invoice.amount_remaining = 0
    invoice.attempt_count = Number(invoice.attempt_count) + 1
    invoice.status_transitions = { ...(invoice.status_transitions as Obj), paid_at: now() }
    return [emit('invoice.paid', invoice)]
  }

  function invoiceView(invoice: Obj, expand: string[]): Obj {
    const view = clone(invoice)
    if (expand.includes('payments')) {
      const payments = [...state.invoicePayments.values()].filter((p) => p.invoice === invoice.id)
      view.payments = list(payments, `/v1/invoices/${invoice.id}/payments`)
    }
    return view
  }

  function completeCheckout(id: string, { delayed = false } = {}): FakeEvent[] {
    const session = must(state.sessions, id, 'checkout session')
    if (session.status === 'complete') return []
    if (session.status !== 'open') throw new HttpError(400, `Session ${id} is ${session.status}`)
    if (delayed && session.mode !== 'payment') {
      throw new HttpError(400, 'the fake settles only one-time payments later')
    }
    const events: FakeEvent[] = []
    const email = (session.customer_email as string) ?? null
    if (session.mode === 'payment') {
      const { pi, charge } = createPayment(
        session.amount_total as number,
        session.customer as string | null,
        session._payment_metadata as Metadata,
      )
      if (delayed) {
        pi.status = 'processing'
        Object.assign(charge, { status: 'pending', paid: false })
      }
      session.payment_intent = pi.id
    } else {
      if (!session.customer) session.customer = createCustomer({ email }).id
      const price = must(state.prices, session._subscription_price as string, 'price')
      const sub: Obj = {
        id: newId('sub'),
        object: 'subscription',
        customer: session.customer,
        status: 'active',
        currency: 'usd',
        metadata: clone(session._subscription_metadata),
        items: {
          object: 'list',
          data: [
            { id: newId('si'), object: 'subscription_item', price: clone(price), quantity: 1 },
          ],
        },
        cancel_at_period_end: false,
        canceled_at: null,
        ended_at: null,
        latest_invoice: null,
        created: now(),
        livemode: false,
      }
      state.subscriptions.set(sub.id as string, sub)
      const invoice = createInvoice(sub, 'subscription_create', true)
      session.subscription = sub.id
      session.invoice = invoice.id
      events.push(emit('customer.subscription.created', sub))
      events.push(emit('invoice.paid', invoice))
    }
    const customer = session.customer ? state.customers.get(session.customer as string) : null
    session.status = 'complete'
    session.payment_status = delayed ? 'unpaid' : 'paid'
    session.customer_details = { email: customer?.email ?? email, name: null }
    // Stripe does not promise an order; the session event goes first here, invoice.paid after.
    events.unshift(emit('checkout.session.completed', publicSession(session)))
    return events
  }

  function settleAsyncPayment(id: string, succeeded: boolean): FakeEvent[] {
    const session = must(state.sessions, id, 'checkout session')
    const pi = must(state.paymentIntents, session.payment_intent as string, 'payment intent')
    if (session.status !== 'complete' || pi.status !== 'processing') {
      throw new HttpError(400, `Session ${id} has no payment waiting to settle`)
    }
    const charge = must(state.charges, pi.latest_charge as string, 'charge')
    if (succeeded) {
      pi.status = 'succeeded'
      Object.assign(charge, { status: 'succeeded', paid: true })
      session.payment_status = 'paid'
    } else {
      pi.status = 'requires_payment_method'
      Object.assign(charge, { status: 'failed', paid: false })
    }
    return [
      emit(
        succeeded
          ? 'checkout.session.async_payment_succeeded'
          : 'checkout.session.async_payment_failed',
        publicSession(session),
      ),
    ]
  }

  function openDispute(id: string): FakeEvent[] {
    const charge = findCharge(id)
    const dispute = {
      id: newId('dp'),
      object: 'dispute',
      amount: Number(charge.amount) - Number(charge.amount_refunded),
      currency: 'usd',
      charge: charge.id,
      payment_intent: charge.payment_intent,
      reason: 'fraudulent',
      status: 'needs_response',
      is_charge_refundable: false,
      created: now(),
      livemode: false,
    }
    charge.disputed = true
    state.disputes.set(dispute.id, dispute)
    return [emit('charge.dispute.created', dispute)]
  }

  function closeDispute(id: string, status: 'won' | 'lost' | 'warning_closed'): FakeEvent[] {
    const dispute = must(state.disputes, id, 'dispute')
    dispute.status = status
    return [emit('charge.dispute.closed', dispute)]
  }

  function chargeSubscription(id: string, reason: string, paid: boolean): FakeEvent[] {
    const sub = must(state.subscriptions, id, 'subscription')
    if (sub.status === 'canceled') throw new HttpError(400, `Subscription ${id} is canceled`)
    const invoice = createInvoice(sub, reason, paid)
    return [emit(paid ? 'invoice.paid' : 'invoice.payment_failed', invoice)]
  }

  function cancelSubscription(id: string): FakeEvent[] {
    const sub = must(state.subscriptions, id, 'subscription')
    if (sub.status === 'canceled') return []
    sub.status = 'canceled'
    sub.canceled_at = now()
    sub.ended_at = now()
    return [emit('customer.subscription.deleted', sub)]
  }

  function findCharge(id: string): Obj {
    if (id.startsWith('ch_')) return must(state.charges, id, 'charge')
    let pi = id
    if (id.startsWith('cs_'))
      pi = must(state.sessions, id, 'checkout session').payment_intent as string
    if (id.startsWith('in_')) {
      const payment = [...state.invoicePayments.values()].find((p) => p.invoice === id)
      pi = ((payment?.payment as Obj | undefined)?.payment_intent as string) ?? ''
    }
    const charge = [...state.charges.values()].find((c) => c.payment_intent === pi)
    if (!charge) throw new HttpError(404, `No charge for '${id}'`, 'resource_missing')
    return charge
  }

  function refund(id: string, amount?: number): FakeEvent[] {
    const charge = findCharge(id)
    const remaining = Number(charge.amount) - Number(charge.amount_refunded)
    const amountToRefund = Math.min(amount ?? remaining, remaining)
    if (amountToRefund <= 0) throw new HttpError(400, `Charge ${charge.id} is already refunded`)
    charge.amount_refunded = Number(charge.amount_refunded) + amountToRefund
    charge.refunded = charge.amount_refunded === charge.amount
    return [emit('charge.refunded', charge)]
  }

  // --- webhooks -------------------------------------------------------------------------------

  async function deliver(events: FakeEvent[]): Promise<FakeEvent[]> {
    if (!fake.webhookUrl) return events
    for (const event of events) {
      const payload = JSON.stringify(event, null, 2)
      // Stripe retries failed deliveries; three quick tries are enough for a local fake.
      for (let attempt = 1; attempt <= 3; attempt++) {
        const result = await post(fake.webhookUrl, payload, fake.sign(payload))
        fake.deliveries.push({ eventId: event.id, type: event.type, ...result })
        if (typeof result.status === 'number' && result.status < 300) break
        await new Promise((r) => setTimeout(r, 200 * attempt))
      }
    }
    return events
  }

  function post(url: string, payload: string, signature: string) {
    return new Promise<{ status: number | 'error'; body: string }>((resolve) => {
      const req = http.request(
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'content-length': Buffer.byteLength(payload),
            'stripe-signature': signature,
            'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          },
        },
        (res) => {
          let body = ''
          res.setEncoding('utf8')
          res.on('data', (c) => (body += c))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
        },
      )
      req.on('error', (e) => resolve({ status: 'error', body: e.message }))
      req.end(payload)
    })
  }

  // --- HTTP -----------------------------------------------------------------------------------

  async function api(method: string, path: string, query: URLSearchParams, params: Obj) {
    const q = parseStripeForm(query.toString())
    const expand = ((params.expand ?? q.expand) as string[] | undefined) ?? []
    let m: RegExpExecArray | null
    if (method === 'POST' && path === '/v1/customers') return createCustomer(params)
    if (method === 'GET' && (m = /^\/v1\/customers\/([^/]+)$/.exec(path)))
      return must(state.customers, m[1], 'customer')
    if (method === 'POST' && path === '/v1/prices') return createPrice(params)
    if (method === 'GET' && path === '/v1/prices') {
      const keys = (q.lookup_keys as string[] | undefined) ?? []
      const active = q.active === undefined ? undefined : q.active === 'true'
      const found = [...state.prices.values()].filter(
        (p) =>
          (!keys.length || keys.includes(p.lookup_key as string)) &&
          (active === undefined || p.active === active),
      )
      return list(found, '/v1/prices')
    }
    if (method === 'GET' && (m = /^\/v1\/prices\/([^/]+)$/.exec(path)))
      return must(state.prices, m[1], 'price')
    if (method === 'POST' && path === '/v1/checkout/sessions')
      return publicSession(createSession(params))
    if (method === 'GET' && path === '/v1/checkout/sessions') {
      const pi = q.payment_intent as string | undefined
      const sub = q.subscription as string | undefined
      const found = [...state.sessions.values()].filter(
        (s) => (!pi || s.payment_intent === pi) && (!sub || s.subscription === sub),
      )
      return list(found.map(publicSession), '/v1/checkout/sessions')
    }
    if (method === 'GET' && (m = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path)))
      return publicSession(must(state.sessions, m[1], 'checkout session'))
    if (method === 'GET' && (m = /^\/v1\/subscriptions\/([^/]+)$/.exec(path)))
      return must(state.subscriptions, m[1], 'subscription')
    if (method === 'DELETE' && (m = /^\/v1\/subscriptions\/([^/]+)$/.exec(path))) {
      await deliver(cancelSubscription(m[1]))
      return state.subscriptions.get(m[1])!
    }
    if (method === 'GET' && (m = /^\/v1\/invoices\/([^/]+)$/.exec(path)))
      return invoiceView(must(state.invoices, m[1], 'invoice'), expand)
    if (method === 'GET' && path === '/v1/invoice_payments') {
      const payment = (q.payment as Obj | undefined) ?? {}
      const invoice = q.invoice as string | undefined
      const found = [...state.invoicePayments.values()].filter(
        (p) =>
          (!invoice || p.invoice === invoice) &&
          (!payment.payment_intent || (p.payment as Obj).payment_intent === payment.payment_intent),
      )
      return list(found, '/v1/invoice_payments')
    }
    if (method === 'GET' && (m = /^\/v1\/charges\/([^/]+)$/.exec(path)))
      return must(state.charges, m[1], 'charge')
    if (method === 'GET' && (m = /^\/v1\/disputes\/([^/]+)$/.exec(path)))
      return must(state.disputes, m[1], 'dispute')
    if (method === 'GET' && (m = /^\/v1\/payment_intents\/([^/]+)$/.exec(path)))
      return must(state.paymentIntents, m[1], 'payment intent')
    if (method === 'POST' && path === '/v1/refunds') {
      const target = (params.charge ?? params.payment_intent) as string
      const [event] = await deliver(
        refund(target, params.amount ? Number(params.amount) : undefined),
      )
      return {
        id: newId('re'),
        object: 'refund',
        charge: event.data.object.id,
        status: 'succeeded',
      }
    }
    if (method === 'POST' && path === '/v1/billing_portal/sessions') {
      const customer = must(state.customers, params.customer as string, 'customer')
      const id = newId('bps')
      const portal = {
        id,
        object: 'billing_portal.session',
        customer: customer.id,
        return_url: params.return_url ?? null,
        url: `${base}/portal/${id}`,
        created: now(),
        livemode: false,
      }
      state.portalSessions.set(id, portal)
      return portal
    }
    throw new HttpError(404, `Unrecognized request URL (${method}: ${path}).`)
  }

  function page(title: string, body: string) {
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
.test{background:#fff4ce;border:1px solid #8a6d00;padding:.75rem;border-radius:6px}
button{font:inherit;font-weight:700;padding:.6rem 1.2rem;border-radius:6px;border:2px solid #1d3b6f;background:#1d3b6f;color:#fff;cursor:pointer}
a{color:#1d3b6f}</style></head><body><main>${body}</main></body></html>`
  }

  const money = (cents: number) => `$${(cents / 100).toFixed(2)}`

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', base)
    const method = req.method ?? 'GET'
    let raw = ''
    for await (const chunk of req) raw += chunk
    const send = (status: number, body: unknown, type = 'application/json') => {
      res.statusCode = status
      res.setHeader('content-type', type)
      res.setHeader('request-id', newId('req'))
      res.end(type === 'application/json' ? JSON.stringify(body) : String(body))
    }
    try {
      // The test checkout page and the billing portal: what a donor sees on Stripe.
      let m: RegExpExecArray | null
      if ((m = /^\/checkout\/([^/]+)$/.exec(url.pathname)) && method === 'GET') {
        const s = must(state.sessions, m[1], 'checkout session')
        const done = s.status === 'complete'
        const what = s.mode === 'subscription' ? 'per month' : 'one time'
        return send(
          200,
          page(
            'Test checkout',
            `<h1>Test checkout</h1>
<p class="test"><strong>Test mode — no real money.</strong> This is Writ's local fake Stripe. No card is asked for or charged.</p>
<p>Donation: <strong>${money(s.amount_total as number)}</strong> ${what}${s.customer_email ? ` · ${escapeHtml(String(s.customer_email))}` : ''}</p>
${
  done
    ? `<p>This payment is complete.</p><p><a href="${escapeHtml(String(s.success_url).replace('{CHECKOUT_SESSION_ID}', s.id as string))}">Continue</a></p>`
    : `<form method="post" action="/checkout/${s.id}/complete"><button type="submit">Pay ${money(s.amount_total as number)} (test)</button></form>
<p><a href="${escapeHtml(String(s.cancel_url))}">Cancel and go back</a></p>`
}`,
          ),
          'text/html; charset=utf-8',
        )
      }
      if ((m = /^\/checkout\/([^/]+)\/complete$/.exec(url.pathname)) && method === 'POST') {
        const s = must(state.sessions, m[1], 'checkout session')
        await deliver(completeCheckout(m[1]))
        res.statusCode = 303
        res.setHeader(
          'location',
          String(s.success_url).replace('{CHECKOUT_SESSION_ID}', s.id as string),
        )
        return res.end()
      }
      if ((m = /^\/portal\/([^/]+)$/.exec(url.pathname)) && method === 'GET') {
        const portal = must(state.portalSessions, m[1], 'portal session')
        const subs = [...state.subscriptions.values()].filter((s) => s.customer === portal.customer)
        const rows = subs
          .map((s) => {
            const item = ((s.items as Obj).data as Obj[])[0]
            const amount = money(Number((item.price as Obj).unit_amount))
            return s.status === 'canceled'
              ? `<li>${amount} per month — canceled</li>`
              : `<li>${amount} per month — active
<form method="post" action="/portal/${portal.id}/cancel/${s.id}"><button type="submit">Cancel this monthly gift</button></form></li>`
          })
          .join('')
        return send(
          200,
          page(
            'Billing portal (test)',
            `<h1>Your monthly gifts</h1>
<p class="test"><strong>Test mode — no real money.</strong> This is Writ's local fake of the Stripe Billing Portal.</p>
<ul>${rows || '<li>No subscriptions.</li>'}</ul>
<p><a href="${escapeHtml(String(portal.return_url ?? '/'))}">Return to the site</a></p>`,
          ),
          'text/html; charset=utf-8',
        )
      }
      if ((m = /^\/portal\/([^/]+)\/cancel\/([^/]+)$/.exec(url.pathname)) && method === 'POST') {
        const portal = must(state.portalSessions, m[1], 'portal session')
        const sub = must(state.subscriptions, m[2], 'subscription')
        if (sub.customer !== portal.customer) throw new HttpError(403, 'Not your subscription')
        await deliver(cancelSubscription(m[2]))
        res.statusCode = 303
        res.setHeader('location', `/portal/${portal.id}`)
        return res.end()
      }

      // Controls for tests: what Stripe would do on its own later (renewals, refunds, failures).
      if (url.pathname.startsWith('/test/')) {
        if (method === 'GET' && url.pathname === '/test/state') {
          return send(
            200,
            Object.fromEntries(
              Object.entries(state).map(([k, v]) => [k, [...(v as Map<string, Obj>).values()]]),
            ),
          )
        }
        if (method === 'GET' && url.pathname === '/test/deliveries')
          return send(200, fake.deliveries)
        const sub = /^\/test\/subscriptions\/([^/]+)\/(renew|fail|cancel)$/.exec(url.pathname)
        if (method === 'POST' && sub) {
          const [, id, action] = sub
          const events =
            action === 'renew'
              ? await fake.renewSubscription(id)
              : action === 'fail'
                ? await fake.failSubscriptionPayment(id)
                : await fake.cancelSubscription(id)
          return send(200, {
            events: events.map((e) => ({ id: e.id, type: e.type, object: e.data.object })),
          })
        }
        const pay = /^\/test\/invoices\/([^/]+)\/pay$/.exec(url.pathname)
        if (method === 'POST' && pay) {
          const events = await fake.payInvoice(pay[1])
          return send(200, {
            events: events.map((e) => ({ id: e.id, type: e.type, object: e.data.object })),
          })
        }
        const ref = /^\/test\/refund\/([^/]+)$/.exec(url.pathname)
        if (method === 'POST' && ref) {
          const events = await fake.refund(ref[1])
          return send(200, {
            events: events.map((e) => ({ id: e.id, type: e.type, object: e.data.object })),
          })
        }
        throw new HttpError(404, `No test control at ${url.pathname}`)
      }

      // The API, as stripe-node calls it.
      if (!url.pathname.startsWith('/v1/')) throw new HttpError(404, 'Not found')
      if (req.headers.authorization !== `Bearer ${secretKey}`) {
        return send(401, {
          error: { type: 'invalid_request_error', message: 'Invalid API Key provided.' },
        })
      }
      const key = req.headers['idempotency-key']
      const cacheKey = typeof key === 'string' ? `${method} ${url.pathname} ${key}` : undefined
      if (cacheKey && idempotent.has(cacheKey)) {
        const cached = idempotent.get(cacheKey)!
        res.setHeader('idempotent-replayed', 'true')
        return send(cached.status, cached.body)
      }
      const params = method === 'GET' || method === 'DELETE' ? {} : parseStripeForm(raw)
      fake.requests.push({
        method,
        path: url.pathname,
        query: parseStripeForm(url.searchParams.toString()),
        params,
      })
      const body = await api(method, url.pathname, url.searchParams, params)
      if (cacheKey) idempotent.set(cacheKey, { status: 200, body })
      return send(200, body)
    } catch (error) {
      if (error instanceof HttpError) {
        return send(error.status, {
          error: { type: 'invalid_request_error', message: error.message, code: error.code },
        })
      }
      console.error('fake stripe:', error)
      return send(500, { error: { type: 'api_error', message: (error as Error).message } })
    }
  }

  const server = http.createServer((req, res) => void handle(req, res))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => resolve())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  base = `http://${host}:${port}`
  fake.url = base
  return fake
}
