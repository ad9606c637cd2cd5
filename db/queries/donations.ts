import type { Sql } from '../client'
import { enqueueWebhookFrom } from './webhooks'

// Donations: one row per charge. See docs/decisions/0400-donations-model-and-fake-stripe.md.

export type DonationStatus = 'pending' | 'paid' | 'refunded' | 'failed' | 'canceled' | 'disputed'

export type Donation = {
  id: string
  campaignId: string | null
  supporterId: string | null
  amountCents: number
  currency: string
  recurring: boolean
  status: DonationStatus
  stripeCheckoutSessionId: string | null
  stripePaymentIntentId: string | null
  stripeInvoiceId: string | null
  stripeSubscriptionId: string | null
  stripeCustomerId: string | null
  stripeChargeId: string | null
  source: string | null
  ref: string | null
  feeCoverCents: number
  amountRefundedCents: number
  locale: 'en' | 'es'
  createdAt: Date
  paidAt: Date | null
  refundedAt: Date | null
  disputedAt: Date | null
}

export type DonationCampaign = {
  id: string
  slug: string
  status: 'draft' | 'live' | 'closed'
  headline: string
  locale: string
  donationConfig: unknown
}

export async function findDonationCampaign(
  sql: Sql,
  slug: string,
  locale: string,
): Promise<DonationCampaign | undefined> {
  const [row] = await sql<DonationCampaign[]>`
    select c.id, c.slug, c.status, c.donation_config,
           coalesce(l.headline, d.headline) as headline,
           coalesce(l.locale, d.locale) as locale
    from campaigns c
    join campaign_copy d on d.campaign_id = c.id and d.locale = c.default_locale
    left join campaign_copy l on l.campaign_id = c.id and l.locale = ${locale}
    where c.slug = ${slug}`
  return row
}

/** The donor as a supporter, by email. Names are filled in, never overwritten. */
export async function upsertDonor(
  sql: Sql,
  d: { email: string; firstName: string; lastName: string; locale: string },
): Promise<{ id: string }> {
  const [row] = await sql<{ id: string }[]>`
    insert into supporters ${sql({
      email: d.email,
      firstName: d.firstName,
      lastName: d.lastName,
      locale: d.locale,
    })}
    on conflict (email) do update
      set first_name = coalesce(supporters.first_name, excluded.first_name),
          last_name = coalesce(supporters.last_name, excluded.last_name),
          updated_at = now()
    returning id`
  return row
}

/** Only ids that exist: metadata could name a campaign or supporter deleted since. */
export async function existingIds(
  sql: Sql,
  ids: { campaignId?: string | null; supporterId?: string | null },
): Promise<{ campaignId: string | null; supporterId: string | null }> {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
  const c = ids.campaignId && uuid.test(ids.campaignId) ? ids.campaignId : null
  const s = ids.supporterId && uuid.test(ids.supporterId) ? ids.supporterId : null
  const [row] = await sql<{ campaignId: string | null; supporterId: string | null }[]>`
    select (select id from campaigns where id = ${c}::uuid) as campaign_id,
           (select id from supporters where id = ${s}::uuid) as supporter_id`
  return row
}

export type NewCharge = {
  campaignId: string | null
  supporterId: string | null
  amountCents: number
  currency: string
  status: 'paid' | 'failed'
  stripeCheckoutSessionId: string | null
  stripePaymentIntentId: string | null
  stripeInvoiceId: string | null
  stripeSubscriptionId: string | null
  stripeCustomerId: string | null
  stripeChargeId: string | null
  source: string | null
  ref: string | null
  feeCoverCents: number
  locale: 'en' | 'es'
  paidAt: Date | null
}

/**
 * A one-time gift, keyed by its Checkout Session. A second delivery, or a refund that arrived
 * first and already created the row, leaves the row as it is.
 */
export async function upsertOneTimeDonation(sql: Sql, c: NewCharge): Promise<Donation> {
  const [inserted] = await sql<Donation[]>`
    with d as (
      insert into donations ${sql({ ...c, recurring: false, failedAt: c.status === 'failed' ? new Date() : null })}
      on conflict (stripe_checkout_session_id) where not recurring do nothing
      returning *
    ), hook as (${enqueueWebhookFrom(sql, 'donation.succeeded', {
      from: sql`d`,
      where: sql`d.status = 'paid'`,
      data: sql`jsonb_build_object('donation_id', d.id, 'campaign_id', d.campaign_id,
                                   'person_id', d.supporter_id, 'amount_cents', d.amount_cents,
                                   'amount_refunded_cents', d.amount_refunded_cents,
                                   'currency', d.currency, 'recurring', d.recurring)`,
    })})
    select * from d`
  if (inserted) return inserted
  const [existing] = await sql<Donation[]>`
    select * from donations where stripe_checkout_session_id = ${c.stripeCheckoutSessionId} and not recurring`
  return existing
}

/**
 * A monthly charge, keyed by its invoice. Status only moves forward: failed → paid (a retry
 * succeeded), paid → refunded elsewhere; a late "failed" never undoes "paid".
 */
export async function upsertInvoiceDonation(sql: Sql, c: NewCharge): Promise<Donation> {
  const [row] = await sql<Donation[]>`
    with old as (
      select status from donations where stripe_invoice_id = ${c.stripeInvoiceId}
    ), d as (
    insert into donations ${sql({ ...c, recurring: true, failedAt: c.status === 'failed' ? new Date() : null })}
    on conflict (stripe_invoice_id) do update set
      status = case when donations.status in ('pending', 'failed') then excluded.status else donations.status end,
      paid_at = coalesce(donations.paid_at, excluded.paid_at),
      amount_cents = case when donations.status in ('pending', 'failed') then excluded.amount_cents else donations.amount_cents end,
      stripe_checkout_session_id = coalesce(donations.stripe_checkout_session_id, excluded.stripe_checkout_session_id),
      stripe_payment_intent_id = coalesce(excluded.stripe_payment_intent_id, donations.stripe_payment_intent_id),
      stripe_charge_id = coalesce(excluded.stripe_charge_id, donations.stripe_charge_id),
      stripe_customer_id = coalesce(donations.stripe_customer_id, excluded.stripe_customer_id),
      campaign_id = coalesce(donations.campaign_id, excluded.campaign_id),
      supporter_id = coalesce(donations.supporter_id, excluded.supporter_id),
      updated_at = now()
    returning *
    ), hook as (${enqueueWebhookFrom(sql, 'donation.succeeded', {
      // paid now, and not before (a redelivery or a late event changes nothing)
      from: sql`d`,
      where: sql`d.status = 'paid' and not exists (select 1 from old where old.status = 'paid')`,
      data: sql`jsonb_build_object('donation_id', d.id, 'campaign_id', d.campaign_id,
                                   'person_id', d.supporter_id, 'amount_cents', d.amount_cents,
                                   'amount_refunded_cents', d.amount_refunded_cents,
                                   'currency', d.currency, 'recurring', d.recurring)`,
    })})
    select * from d`
  return row
}

/** A refund: the amount refunded only grows; a full refund marks the charge refunded. */
export async function recordRefund(
  sql: Sql,
  r: { paymentIntentId: string; amountRefundedCents: number; fullyRefunded: boolean },
): Promise<Donation[]> {
  return sql<Donation[]>`
    with old as (
      select id, amount_refunded_cents as refunded_before, status as status_before
      from donations
      where stripe_payment_intent_id = ${r.paymentIntentId} and status in ('paid', 'refunded')
      for update
    ), d as (
      update donations d set
        amount_refunded_cents = greatest(d.amount_refunded_cents, ${r.amountRefundedCents}),
        status = case when ${r.fullyRefunded} then 'refunded' else d.status end,
        refunded_at = case when ${r.fullyRefunded} then coalesce(d.refunded_at, now()) else d.refunded_at end,
        updated_at = now()
      from old where d.id = old.id
      returning d.*, old.refunded_before, old.status_before
    ), hook as (${enqueueWebhookFrom(sql, 'donation.refunded', {
      // more refunded than before (a partial refund counts; a redelivery does not)
      from: sql`d`,
      where: sql`d.amount_refunded_cents > d.refunded_before or (d.status = 'refunded' and d.status_before <> 'refunded')`,
      data: sql`jsonb_build_object('donation_id', d.id, 'campaign_id', d.campaign_id,
                                   'person_id', d.supporter_id, 'amount_cents', d.amount_cents,
                                   'amount_refunded_cents', d.amount_refunded_cents,
                                   'currency', d.currency, 'recurring', d.recurring)`,
    })})
    select * from d`
}

/**
 * A dispute's current state on the charge of this payment: open or lost makes a paid charge
 * `disputed` (out of every total); won, or an inquiry closed without a chargeback, makes it `paid`
 * again. Applying the same state twice changes nothing.
 */
export async function recordDispute(
  sql: Sql,
  d: { paymentIntentId: string; disputed: boolean },
): Promise<Donation[]> {
  return d.disputed
    ? sql<Donation[]>`
        update donations set status = 'disputed', disputed_at = coalesce(disputed_at, now()),
          updated_at = now()
        where stripe_payment_intent_id = ${d.paymentIntentId} and status = 'paid'
        returning *`
    : sql<Donation[]>`
        update donations set status = 'paid', updated_at = now()
        where stripe_payment_intent_id = ${d.paymentIntentId} and status = 'disputed'
        returning *`
}

export async function donationsForPaymentIntent(sql: Sql, paymentIntentId: string) {
  return sql<
    Donation[]
  >`select * from donations where stripe_payment_intent_id = ${paymentIntentId}`
}

export type NewSubscription = {
  stripeSubscriptionId: string
  stripeCustomerId: string
  campaignId: string | null
  supporterId: string | null
  amountCents: number
  currency: string
  status: 'active' | 'canceled'
  source: string | null
  ref: string | null
  locale: 'en' | 'es'
}

/** A monthly gift, as Stripe last reported it. Canceled is terminal. */
export async function upsertSubscription(sql: Sql, s: NewSubscription) {
  const [row] = await sql<{ status: string; canceledAt: Date | null }[]>`
    with old as (
      select status from donation_subscriptions
      where stripe_subscription_id = ${s.stripeSubscriptionId}
    ), d as (
    insert into donation_subscriptions ${sql({
      ...s,
      canceledAt: s.status === 'canceled' ? new Date() : null,
    })}
    on conflict (stripe_subscription_id) do update set
      status = case when donation_subscriptions.status = 'canceled' then 'canceled' else excluded.status end,
      canceled_at = coalesce(donation_subscriptions.canceled_at, excluded.canceled_at),
      amount_cents = excluded.amount_cents,
      campaign_id = coalesce(donation_subscriptions.campaign_id, excluded.campaign_id),
      supporter_id = coalesce(donation_subscriptions.supporter_id, excluded.supporter_id),
      updated_at = now()
    returning *
    ), hook as (${enqueueWebhookFrom(sql, 'subscription.canceled', {
      from: sql`d`,
      where: sql`d.status = 'canceled' and not exists (select 1 from old where old.status = 'canceled')`,
      data: sql`jsonb_build_object('subscription_id', d.stripe_subscription_id,
                                   'campaign_id', d.campaign_id, 'person_id', d.supporter_id,
                                   'amount_cents', d.amount_cents, 'currency', d.currency)`,
    })})
    select status, canceled_at from d`
  return row
}

/** Records a Stripe event id. False when it was already recorded (a redelivery). */
export async function recordStripeEvent(
  sql: Sql,
  e: { id: string; type: string },
): Promise<boolean> {
  const rows = await sql`
    insert into stripe_events ${sql({ id: e.id, type: e.type })}
    on conflict (id) do nothing
    returning id`
  return rows.length === 1
}

export async function stripeEventSeen(sql: Sql, id: string): Promise<boolean> {
  const rows = await sql`select 1 from stripe_events where id = ${id}`
  return rows.length > 0
}

export type DonationTotals = {
  /** Net of refunds. */
  totalCents: number
  donorCount: number
  activeMonthlyCount: number
}

export async function getCampaignDonationTotals(
  sql: Sql,
  campaignId: string,
): Promise<DonationTotals> {
  const [row] = await sql<DonationTotals[]>`
    select
      coalesce((select sum(amount_cents - amount_refunded_cents) from donations
                where campaign_id = ${campaignId} and status in ('paid', 'refunded')), 0)::int as total_cents,
      (select count(distinct coalesce(supporter_id::text, stripe_customer_id, id::text)) from donations
        where campaign_id = ${campaignId} and status = 'paid')::int as donor_count,
      (select count(*) from donation_subscriptions
        where campaign_id = ${campaignId} and status = 'active')::int as active_monthly_count`
  return row
}

export async function findActiveCustomerByEmail(
  sql: Sql,
  email: string,
): Promise<string | undefined> {
  const [row] = await sql<{ stripeCustomerId: string }[]>`
    select ds.stripe_customer_id
    from donation_subscriptions ds
    join supporters s on s.id = ds.supporter_id
    where s.email = ${email} and ds.status = 'active'
    order by ds.created_at desc
    limit 1`
  return row?.stripeCustomerId
}

/** Where a donation's receipt goes: the donor's address, unless erased. */
export async function findReceiptRecipient(
  sql: Sql,
  supporterId: string,
): Promise<{ email: string | null; firstName: string | null } | undefined> {
  const [row] = await sql<{ email: string | null; firstName: string | null }[]>`
    select email, first_name from supporters where id = ${supporterId}`
  return row
}
