import { createHash } from 'node:crypto'
import type Stripe from 'stripe'
import { getServerT } from '#app/i18n/i18n.server'
import { isLocale, type Locale } from '#app/i18n/config'
import { queueTemplateEmail } from '#app/mail/mail.server'
import {
  emailTokenIssuedWithin,
  hashToken,
  issueEmailToken,
  peekEmailToken,
  redeemEmailToken,
} from '#app/tokens/email-tokens.server'
import { getEnv } from '#app/utils/env.server'
import { getSql, type Sql } from '#db/client'
import {
  donationsForPaymentIntent,
  existingIds,
  findActiveCustomerByEmail,
  findDonationCampaign,
  findReceiptRecipient,
  getCampaignDonationTotals as queryTotals,
  recordDispute,
  recordRefund,
  recordStripeEvent,
  stripeEventSeen,
  upsertDonor,
  upsertInvoiceDonation,
  upsertOneTimeDonation,
  upsertSubscription,
  type Donation,
  type DonationCampaign,
  type DonationTotals,
  type NewCharge,
} from '#db/queries/donations'
import { donationManageLink } from '#emails/donation-manage-link'
import { donationReceipt } from '#emails/donation-receipt'
import { feeCoverCents, formatMoney, normalizeDonationConfig, type DonationForm } from './schema'
import { getStripe, getWebhookSecret, isStripeUnavailable } from './stripe.server'

// Donations through Stripe Checkout. Writ never sees card data: it creates Checkout Sessions,
// stores Stripe ids, and learns what happened from signed webhooks.
// See docs/decisions/0400-donations-model-and-fake-stripe.md.

export { getStripe, isStripeUnavailable }
export type { DonationTotals }

/** Signature timestamps older than this are refused (Stripe's default tolerance). */
export const WEBHOOK_TOLERANCE_SECONDS = 300
const MANAGE_LINK_TTL_MINUTES = 60

// ---------------------------------------------------------------------------------------------
// The donate page

export type DonatePage = {
  campaign: { id: string; slug: string; headline: string; locale: string } | null
  config: ReturnType<typeof normalizeDonationConfig>
  totals: DonationTotals | null
}

/** The donate page's data; undefined when the campaign does not exist or takes no donations. */
export async function getDonatePage(
  slug: string | null,
  locale: Locale,
): Promise<DonatePage | undefined> {
  if (!slug) return { campaign: null, config: normalizeDonationConfig({}), totals: null }
  const sql = getSql()
  const campaign = await findDonationCampaign(sql, slug, locale)
  if (!campaign || campaign.status === 'draft') return undefined
  const config = normalizeDonationConfig(campaign.donationConfig)
  if (!config.enabled) return undefined
  return {
    campaign: {
      id: campaign.id,
      slug: campaign.slug,
      headline: campaign.headline,
      locale: campaign.locale,
    },
    config,
    totals: config.showTotal ? await queryTotals(sql, campaign.id) : null,
  }
}

/** A campaign's donation total (net of refunds), donors and active monthly gifts. */
export async function getCampaignDonationTotals(
  sql: Sql,
  campaignId: string,
): Promise<DonationTotals> {
  return queryTotals(sql, campaignId)
}

/** Which campaign a donation form posts for (null: the organization's general fund). */
export async function findCampaignForDonation(
  slug: string,
  locale: Locale,
): Promise<DonationCampaign | undefined> {
  return findDonationCampaign(getSql(), slug, locale)
}

// ---------------------------------------------------------------------------------------------
// Checkout

export type CheckoutInput = {
  campaign: { id: string; slug: string } | null
  form: DonationForm
  locale: Locale
  /** A random id rendered into the form: the same submission twice is the same session. */
  formId: string | null
  source: string | null
  ref: string | null
}

const safeTag = (v: string | null) => (v ? v.trim().slice(0, 100) || null : null)

/** The key that makes a double-click (or a retried POST) create one Checkout Session. */
export function checkoutIdempotencyKey(input: CheckoutInput, now = Date.now()): string {
  const f = input.form
  const parts = [
    // without a form id (a hand-made POST), identical submissions within 10 minutes are one
    input.formId ?? `t${Math.floor(now / 600_000)}`,
    input.campaign?.id ?? '-',
    f.email,
    f.firstName,
    f.lastName,
    f.amount,
    f.frequency,
    f.coverFees ? 1 : 0,
    safeTag(input.source),
    safeTag(input.ref),
    input.locale,
  ]
  return `writ-checkout-${createHash('sha256').update(JSON.stringify(parts)).digest('hex')}`
}

/** The Price for a monthly amount, created once and then found again by its lookup key. */
export async function monthlyPriceId(
  stripe: Stripe,
  cents: number,
  productName: string,
): Promise<string> {
  const lookupKey = `writ_monthly_usd_${cents}`
  const found = await stripe.prices.list({ lookup_keys: [lookupKey], active: true, limit: 1 })
  if (found.data[0]) return found.data[0].id
  const price = await stripe.prices.create(
    {
      currency: 'usd',
      unit_amount: cents,
      recurring: { interval: 'month' },
      lookup_key: lookupKey,
      product_data: { name: productName },
    },
    { idempotencyKey: `writ-price-${lookupKey}` },
  )
  return price.id
}

/** Creates the Stripe Checkout Session for a valid donation form; returns its URL. */
export async function createDonationCheckout(input: CheckoutInput): Promise<string> {
  const stripe = getStripe()
  const env = getEnv()
  const sql = getSql()
  const { form, locale } = input
  const t = getServerT(locale)
  const supporter = await upsertDonor(sql, {
    email: form.email,
    firstName: form.firstName,
    lastName: form.lastName,
    locale,
  })
  const fee = form.coverFees ? feeCoverCents(form.amount) : 0
  const total = form.amount + fee
  const metadata: Record<string, string> = {
    app: 'writ',
    campaign_id: input.campaign?.id ?? '',
    supporter_id: supporter.id,
    source: safeTag(input.source) ?? '',
    ref: safeTag(input.ref) ?? '',
    locale,
    fee_cents: String(fee),
    frequency: form.frequency,
  }
  const prefix = input.campaign ? `/c/${input.campaign.slug}` : ''
  const base = env.PUBLIC_URL.replace(/\/$/, '')
  const common = {
    client_reference_id: supporter.id,
    // Never an existing customer: the email was typed, not verified, and whoever types someone
    // else's address must not pay as (or reach the saved cards of) their Stripe customer.
    // Stripe creates or matches a customer by its own rules (ADR 0814).
    customer_email: form.email,
    success_url: `${base}${prefix}/donate/thanks?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${base}${prefix}/donate?canceled=1`,
    locale,
    metadata,
  } satisfies Stripe.Checkout.SessionCreateParams
  const idempotencyKey = checkoutIdempotencyKey(input)
  let session: Stripe.Checkout.Session
  if (form.frequency === 'monthly') {
    const price = await monthlyPriceId(stripe, total, t('donations:checkout.monthlyProduct'))
    session = await stripe.checkout.sessions.create(
      {
        ...common,
        mode: 'subscription',
        line_items: [{ price, quantity: 1 }],
        subscription_data: { metadata },
      },
      { idempotencyKey },
    )
  } else {
    session = await stripe.checkout.sessions.create(
      {
        ...common,
        mode: 'payment',
        submit_type: 'donate',
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: 'usd',
              unit_amount: total,
              product_data: { name: t('donations:checkout.oneTimeProduct') },
            },
          },
        ],
        payment_intent_data: { metadata },
      },
      { idempotencyKey },
    )
  }
  if (!session.url) throw new Error(`Checkout Session ${session.id} has no URL`)
  return session.url
}

export type ThanksSummary = { amountCents: number; currency: string; recurring: boolean } | null

/** A completed session's summary is kept this long; reloads of the thank-you page reuse it. */
export const THANKS_CACHE_MS = 10 * 60_000
/** An unknown or unfinished session is asked about again after this. */
const THANKS_MISS_CACHE_MS = 60_000
const THANKS_CACHE_MAX = 1000
const thanksCache = new Map<string, { until: number; value: ThanksSummary }>()

function rememberSummary(sessionId: string, value: ThanksSummary) {
  if (thanksCache.size >= THANKS_CACHE_MAX) {
    const now = Date.now()
    for (const [key, entry] of thanksCache) if (entry.until <= now) thanksCache.delete(key)
    // still full: drop the oldest entries (a Map keeps insertion order)
    for (const key of thanksCache.keys()) {
      if (thanksCache.size < THANKS_CACHE_MAX) break
      thanksCache.delete(key)
    }
  }
  const ttl = value ? THANKS_CACHE_MS : THANKS_MISS_CACHE_MS
  thanksCache.set(sessionId, { until: Date.now() + ttl, value })
}

/**
 * What the thank-you page shows about the gift, from Stripe; null when it cannot say. Answers are
 * kept in process per session id (ADR 0814), so reloads do not call Stripe; a failed call to
 * Stripe is not kept.
 */
export async function getCheckoutSummary(sessionId: string | null): Promise<ThanksSummary> {
  if (!sessionId || !/^cs_[A-Za-z0-9_]{1,200}$/.test(sessionId)) return null
  const cached = thanksCache.get(sessionId)
  if (cached && cached.until > Date.now()) return cached.value
  try {
    const session = await getStripe().checkout.sessions.retrieve(sessionId)
    const value =
      session.status !== 'complete' || session.amount_total == null
        ? null
        : {
            amountCents: session.amount_total,
            currency: session.currency ?? 'usd',
            recurring: session.mode === 'subscription',
          }
    rememberSummary(sessionId, value)
    return value
  } catch (error) {
    if ((error as { code?: string }).code === 'resource_missing') {
      rememberSummary(sessionId, null)
      return null
    }
    console.error('donations: could not retrieve Checkout Session for thanks page', error)
    return null
  }
}

// ---------------------------------------------------------------------------------------------
// Webhooks

export type WebhookResult = { status: number; body: string; retryAfter?: number }

export const HANDLED_EVENTS = new Set([
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'charge.dispute.created',
  'charge.dispute.updated',
  'charge.dispute.closed',
  'invoice.paid',
  'invoice.payment_failed',
  'charge.refunded',
  'customer.subscription.deleted',
])

type Effect = (tx: Sql) => Promise<void>

/**
 * Verifies and applies one Stripe webhook. The event id is recorded in the same transaction as
 * its effect, so redelivery, concurrency and retries after a crash all give one effect.
 */
export async function handleStripeWebhook(
  payload: string,
  signature: string | null,
): Promise<WebhookResult> {
  let secret: string
  let stripe: Stripe
  try {
    secret = getWebhookSecret()
    stripe = getStripe()
  } catch (error) {
    console.error('donations: webhook received but Stripe is not configured', error)
    return { status: 503, body: 'Stripe is not configured', retryAfter: 60 }
  }
  if (!signature) return { status: 400, body: 'Missing Stripe-Signature header' }
  let event: Stripe.Event
  try {
    event = stripe.webhooks.constructEvent(payload, signature, secret, WEBHOOK_TOLERANCE_SECONDS)
  } catch (error) {
    return {
      status: 400,
      body: `Webhook signature verification failed: ${(error as Error).message}`,
    }
  }
  const sql = getSql()
  if (!HANDLED_EVENTS.has(event.type)) return { status: 200, body: 'ignored' }
  if (await stripeEventSeen(sql, event.id)) return { status: 200, body: 'duplicate' }

  let effect: Effect | null
  try {
    // Everything that calls Stripe happens here, before the transaction opens.
    effect = await planEffect(stripe, event)
  } catch (error) {
    if (isStripeUnavailable(error)) {
      console.error(`donations: Stripe unreachable while handling ${event.id}`, error)
      return { status: 503, body: 'Stripe is unreachable; retry later', retryAfter: 30 }
    }
    throw error
  }
  const applied = await sql.begin(async (tx) => {
    if (!(await recordStripeEvent(tx, { id: event.id, type: event.type }))) return false
    if (effect) await effect(tx)
    return true
  })
  return { status: 200, body: applied ? 'ok' : 'duplicate' }
}

const isWrit = (metadata: Stripe.Metadata | null | undefined) => metadata?.app === 'writ'
const idOf = (v: string | { id: string } | null | undefined) =>
  v == null ? null : typeof v === 'string' ? v : v.id

async function planEffect(stripe: Stripe, event: Stripe.Event): Promise<Effect | null> {
  switch (event.type) {
    case 'checkout.session.completed': {
      const session = event.data.object
      if (!isWrit(session.metadata)) return null
      if (session.mode === 'payment') {
        if (session.payment_status !== 'paid') return null
        return (tx) => applyOneTimeSession(tx, session, { receipt: true })
      }
      if (session.mode === 'subscription') {
        const subscriptionId = idOf(session.subscription)
        const invoiceId = idOf(session.invoice)
        if (!subscriptionId) return null
        // Re-fetch: the subscription may have been canceled, the invoice refunded, since.
        const subscription = await stripe.subscriptions.retrieve(subscriptionId)
        const invoice = invoiceId
          ? await stripe.invoices.retrieve(invoiceId, { expand: ['payments'] })
          : null
        return async (tx) => {
          await applySubscription(tx, subscription)
          if (invoice) await applyInvoice(tx, invoice, subscription, { sessionId: session.id })
        }
      }
      return null
    }
    case 'checkout.session.async_payment_succeeded': {
      // A delayed payment method (a bank debit) settled: the gift is paid now, with its receipt.
      const session = event.data.object
      if (!isWrit(session.metadata) || session.mode !== 'payment') return null
      if (session.payment_status !== 'paid') return null
      return (tx) => applyOneTimeSession(tx, session, { receipt: true })
    }
    case 'checkout.session.async_payment_failed': {
      const session = event.data.object
      if (!isWrit(session.metadata) || session.mode !== 'payment') return null
      return (tx) => applyOneTimeSession(tx, session, { receipt: false, failed: true })
    }
    case 'charge.dispute.created':
    case 'charge.dispute.updated':
    case 'charge.dispute.closed': {
      // Re-fetch: whatever order the events come in, the dispute's current status decides.
      const dispute = await stripe.disputes.retrieve(event.data.object.id)
      const paymentIntentId =
        idOf(dispute.payment_intent) ??
        idOf((await stripe.charges.retrieve(idOf(dispute.charge)!)).payment_intent)
      if (!paymentIntentId) return null
      // Lost: Stripe took the money back; won (or an inquiry closed): it stays with us.
      const disputed = dispute.status !== 'won' && dispute.status !== 'warning_closed'
      let origin: Effect | null = null
      if ((await donationsForPaymentIntent(getSql(), paymentIntentId)).length === 0) {
        // The dispute arrived before the payment's own event: record the payment first.
        origin = await planOriginOfPayment(stripe, paymentIntentId)
        if (!origin) return null
      }
      return async (tx) => {
        if (origin) await origin(tx)
        await recordDispute(tx, { paymentIntentId, disputed })
      }
    }
    case 'invoice.paid':
    case 'invoice.payment_failed': {
      const invoiceId = event.data.object.id
      if (!invoiceId) return null
      // Re-fetch: the current state decides (a failed attempt may since have been paid).
      const invoice = await stripe.invoices.retrieve(invoiceId, { expand: ['payments'] })
      const subscriptionId = idOf(invoice.parent?.subscription_details?.subscription)
      if (!subscriptionId) return null
      const subscription = await stripe.subscriptions.retrieve(subscriptionId)
      if (!isWrit(subscription.metadata)) return null
      const attemptedAndFailed = event.type === 'invoice.payment_failed'
      return async (tx) => {
        await applySubscription(tx, subscription)
        await applyInvoice(tx, invoice, subscription, { failed: attemptedAndFailed })
      }
    }
    case 'charge.refunded': {
      // Re-fetch: amount_refunded only grows, and the latest value is the truth.
      const charge = await stripe.charges.retrieve(event.data.object.id)
      const paymentIntentId = idOf(charge.payment_intent)
      if (!paymentIntentId) return null
      const refund = {
        paymentIntentId,
        amountRefundedCents: charge.amount_refunded,
        fullyRefunded: charge.refunded,
      }
      const known = await donationsForPaymentIntent(getSql(), paymentIntentId)
      let origin: Effect | null = null
      if (known.length === 0) {
        // The refund arrived before the payment's own event: find the payment and record it first.
        origin = await planOriginOfPayment(stripe, paymentIntentId)
        if (!origin) return null
      }
      return async (tx) => {
        if (origin) await origin(tx)
        await recordRefund(tx, refund)
      }
    }
    case 'customer.subscription.deleted': {
      const subscription = event.data.object
      if (!isWrit(subscription.metadata)) return null
      return (tx) => applySubscription(tx, { ...subscription, status: 'canceled' })
    }
    default:
      return null
  }
}

async function planOriginOfPayment(
  stripe: Stripe,
  paymentIntentId: string,
): Promise<Effect | null> {
  const sessions = await stripe.checkout.sessions.list({
    payment_intent: paymentIntentId,
    limit: 1,
  })
  const session = sessions.data[0]
  if (session && session.mode === 'payment' && isWrit(session.metadata)) {
    return (tx) => applyOneTimeSession(tx, session, { receipt: false })
  }
  const payments = await stripe.invoicePayments.list({
    payment: { type: 'payment_intent', payment_intent: paymentIntentId },
    limit: 1,
  })
  const invoiceId = idOf(payments.data[0]?.invoice)
  if (!invoiceId) return null
  const invoice = await stripe.invoices.retrieve(invoiceId, { expand: ['payments'] })
  const subscriptionId = idOf(invoice.parent?.subscription_details?.subscription)
  if (!subscriptionId) return null
  const subscription = await stripe.subscriptions.retrieve(subscriptionId)
  if (!isWrit(subscription.metadata)) return null
  return async (tx) => {
    await applySubscription(tx, subscription)
    await applyInvoice(tx, invoice, subscription, { receipt: false })
  }
}

function localeOf(metadata: Stripe.Metadata | null | undefined): Locale {
  return isLocale(metadata?.locale) ? metadata.locale : 'en'
}

async function applyOneTimeSession(
  tx: Sql,
  session: Stripe.Checkout.Session,
  { receipt, failed = false }: { receipt: boolean; failed?: boolean },
) {
  const m = session.metadata ?? {}
  const ids = await existingIds(tx, { campaignId: m.campaign_id, supporterId: m.supporter_id })
  const charge: NewCharge = {
    ...ids,
    amountCents: session.amount_total ?? 0,
    currency: session.currency ?? 'usd',
    status: failed ? 'failed' : 'paid',
    stripeCheckoutSessionId: session.id,
    stripePaymentIntentId: idOf(session.payment_intent),
    stripeInvoiceId: null,
    stripeSubscriptionId: null,
    stripeCustomerId: idOf(session.customer),
    stripeChargeId: null,
    source: m.source || null,
    ref: m.ref || null,
    feeCoverCents: Number(m.fee_cents) || 0,
    locale: localeOf(m),
    // a session carries no completion time; the webhook arrives seconds after payment
    paidAt: failed ? null : new Date(),
  }
  const donation = await upsertOneTimeDonation(tx, charge)
  if (receipt && donation.status === 'paid') {
    await queueReceipt(tx, donation, session.customer_details?.email ?? session.customer_email)
  }
}

async function applySubscription(tx: Sql, subscription: Stripe.Subscription) {
  const m = subscription.metadata ?? {}
  const item = subscription.items?.data?.[0]
  const amount = (item?.price?.unit_amount ?? 0) * (item?.quantity ?? 1)
  if (amount <= 0) return
  const ids = await existingIds(tx, { campaignId: m.campaign_id, supporterId: m.supporter_id })
  await upsertSubscription(tx, {
    ...ids,
    stripeSubscriptionId: subscription.id,
    stripeCustomerId: idOf(subscription.customer) ?? '',
    amountCents: amount,
    currency: subscription.currency ?? 'usd',
    status:
      subscription.status === 'canceled' || subscription.status === 'incomplete_expired'
        ? 'canceled'
        : 'active',
    source: m.source || null,
    ref: m.ref || null,
    locale: localeOf(m),
  })
}

async function applyInvoice(
  tx: Sql,
  invoice: Stripe.Invoice,
  subscription: Stripe.Subscription,
  options: { sessionId?: string; failed?: boolean; receipt?: boolean },
) {
  const paid = invoice.status === 'paid'
  const failed = !paid && (options.failed || (invoice.attempt_count ?? 0) > 0)
  if (!paid && !failed) return
  const m = subscription.metadata ?? {}
  const ids = await existingIds(tx, { campaignId: m.campaign_id, supporterId: m.supporter_id })
  const payment = invoice.payments?.data?.find((p) => p.payment?.type === 'payment_intent')
  const amount = paid ? invoice.amount_paid : invoice.amount_due
  if (amount <= 0) return
  const donation = await upsertInvoiceDonation(tx, {
    ...ids,
    amountCents: amount,
    currency: invoice.currency ?? 'usd',
    status: paid ? 'paid' : 'failed',
    stripeCheckoutSessionId: options.sessionId ?? null,
    stripePaymentIntentId: idOf(payment?.payment?.payment_intent),
    stripeInvoiceId: invoice.id ?? null,
    stripeSubscriptionId: subscription.id,
    stripeCustomerId: idOf(invoice.customer),
    stripeChargeId: idOf(payment?.payment?.charge),
    source: m.source || null,
    ref: m.ref || null,
    feeCoverCents: Number(m.fee_cents) || 0,
    locale: localeOf(m),
    paidAt: paid
      ? new Date((invoice.status_transitions?.paid_at ?? Date.now() / 1000) * 1000)
      : null,
  })
  if (options.receipt !== false && donation.status === 'paid') {
    await queueReceipt(tx, donation, invoice.customer_email)
  }
}

/** One receipt per charge: the idempotency key is the donation, so a replay queues nothing. */
async function queueReceipt(tx: Sql, donation: Donation, fallbackEmail: string | null | undefined) {
  const supporter = donation.supporterId
    ? await findReceiptRecipient(tx, donation.supporterId)
    : undefined
  const to = supporter?.email ?? fallbackEmail
  if (!to) return
  const env = getEnv()
  const locale = donation.locale
  await queueTemplateEmail(
    tx,
    donationReceipt,
    {
      firstName: supporter?.firstName ?? null,
      amount: formatMoney(donation.amountCents, locale, donation.currency),
      feeCovered:
        donation.feeCoverCents > 0
          ? formatMoney(donation.feeCoverCents, locale, donation.currency)
          : null,
      recurring: donation.recurring,
      date: (donation.paidAt ?? donation.createdAt).toISOString(),
      reference: donation.stripeInvoiceId ?? donation.stripePaymentIntentId ?? donation.id,
      manageUrl: `${env.PUBLIC_URL.replace(/\/$/, '')}/donate/manage`,
      orgName: env.ORG_NAME,
      orgAddress: env.ORG_POSTAL_ADDRESS,
    },
    {
      to,
      i18n: { t: getServerT(locale), locale },
      supporterId: donation.supporterId,
      idempotencyKey: `donation-receipt:${donation.id}`,
    },
  )
}

// ---------------------------------------------------------------------------------------------
// "Manage my monthly gift": a one-time link by email, then the Stripe Billing Portal

/**
 * Emails a one-time link when this address has an active monthly gift. The page says the same
 * thing either way, so it does not reveal who gives.
 */
export async function requestManageLink(email: string, locale: Locale): Promise<void> {
  const sql = getSql()
  const customerId = await findActiveCustomerByEmail(sql, email)
  if (!customerId) return
  // One link per gift every two minutes, so the form cannot be used to flood a donor's inbox.
  const recent = { purpose: 'manage_donation', subjectId: customerId, seconds: 120 } as const
  if (await emailTokenIssuedWithin(sql, recent)) return
  const env = getEnv()
  await sql.begin(async (tx) => {
    const token = await issueEmailToken(tx, {
      purpose: 'manage_donation',
      subjectId: customerId,
      ttlMinutes: MANAGE_LINK_TTL_MINUTES,
    })
    const url = `${env.PUBLIC_URL.replace(/\/$/, '')}/donate/manage/${token}`
    await queueTemplateEmail(
      tx,
      donationManageLink,
      {
        url,
        minutes: MANAGE_LINK_TTL_MINUTES,
        orgName: env.ORG_NAME,
        orgAddress: env.ORG_POSTAL_ADDRESS,
      },
      {
        to: email,
        i18n: { t: getServerT(locale), locale },
        idempotencyKey: `donation-manage:${hashToken(token).toString('hex')}`,
      },
    )
  })
}

export async function isManageTokenValid(token: string): Promise<boolean> {
  return Boolean(await peekEmailToken(getSql(), token, 'manage_donation'))
}

/** Uses the link (once) and returns a Billing Portal URL; undefined when the link is spent. */
export async function openBillingPortal(token: string): Promise<string | undefined> {
  const sql = getSql()
  const customerId = await peekEmailToken(sql, token, 'manage_donation')
  if (!customerId) return undefined
  const env = getEnv()
  const portal = await getStripe().billingPortal.sessions.create({
    customer: customerId,
    return_url: `${env.PUBLIC_URL.replace(/\/$/, '')}/donate`,
  })
  const used = await redeemEmailToken(sql, token, 'manage_donation')
  return used ? portal.url : undefined
}
