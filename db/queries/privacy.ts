import type { Sql } from '../client'
import { deleteEmailTokensOf } from './email-tokens'
import { enqueueWebhook } from './webhooks'

export type SupporterMatch = {
  id: string
  email: string | null
  firstName: string | null
  lastName: string | null
  city: string | null
  state: string | null
  zip: string | null
  createdAt: Date
  erasedAt: Date | null
  signatures: number
  letters: number
  donations: number
}

export async function findSupporterByEmail(
  sql: Sql,
  email: string,
): Promise<SupporterMatch | undefined> {
  const [row] = await sql<SupporterMatch[]>`
    select s.id, s.email, s.first_name, s.last_name, s.city, s.state, s.zip, s.created_at,
           s.erased_at,
           (select count(*)::int from signatures where supporter_id = s.id) as signatures,
           (select count(*)::int from letters where supporter_id = s.id) as letters,
           (select count(*)::int from donations where supporter_id = s.id) as donations
    from supporters s where s.email = ${email.trim().toLowerCase()}`
  return row
}

/** Everything Writ holds about one supporter, table by table. */
export async function collectSupporterData(sql: Sql, supporterId: string) {
  const [supporter] = await sql`select * from supporters where id = ${supporterId}`
  if (!supporter) return undefined
  const email = (supporter.email as string | null) ?? null
  const consents = await sql`
    select c.*, ca.slug as campaign_slug from consents c
    left join campaigns ca on ca.id = c.campaign_id
    where c.supporter_id = ${supporterId} order by c.id`
  const signatures = await sql`
    select s.*, ca.slug as campaign_slug from signatures s
    join campaigns ca on ca.id = s.campaign_id
    where s.supporter_id = ${supporterId} order by s.id`
  const letters = await sql`
    select l.id, l.campaign_id, ca.slug as campaign_slug, l.signature_id, l.prefix, l.first_name,
           l.last_name, l.email, l.street, l.city, l.state, l.zip, l.subject, l.body, l.edited,
           l.locale, l.receipt_sent_at, l.created_at,
           coalesce((
             select json_agg(json_build_object(
               'officeKey', d.office_key, 'officeName', d.office_name,
               'officeTitle', d.office_title, 'channel', d.channel, 'status', d.status,
               'attempts', d.attempts, 'createdAt', d.created_at, 'finishedAt', d.finished_at)
               order by d.id)
             from deliveries d where d.letter_id = l.id), '[]'::json) as deliveries
    from letters l join campaigns ca on ca.id = l.campaign_id
    where l.supporter_id = ${supporterId} order by l.created_at`
  const donations = await sql`
    select id, campaign_id, amount_cents, currency, recurring, status, source, ref, created_at,
           paid_at
    from donations where supporter_id = ${supporterId} order by created_at`
  const outboundEmails = await sql`
    select id, kind, template, to_address, reply_to, subject, status, created_at, sent_at
    from outbound_emails
    where supporter_id = ${supporterId}
       or (${email}::text is not null and (lower(to_address) = ${email} or lower(reply_to) = ${email}))
    order by id`
  // call campaigns (migration 0130): each visit's offices and how each call went
  const callVisits = await sql`
    select v.id, ca.slug as campaign_slug, v.first_name, v.last_name, v.city, v.state, v.zip,
           v.office_keys, v.locale, v.created_at,
           coalesce((
             select json_agg(json_build_object('officeKey', c.office_key, 'outcome', c.outcome,
               'via', c.via, 'durationSeconds', c.duration_seconds, 'at', c.updated_at) order by c.id)
             from call_logs c where c.visit_id = v.id), '[]'::json) as calls
    from call_visits v join campaigns ca on ca.id = v.campaign_id
    where v.supporter_id = ${supporterId} order by v.created_at`
  return { supporter, consents, signatures, letters, donations, outboundEmails, callVisits }
}

/**
 * Removes the supporter's personal data everywhere it is copied, keeping the rows that counts are
 * made of (signatures, letters, deliveries, donations). What was still to be sent is cancelled.
 * Run inside a transaction. See docs/decisions/0812-erasure-and-retention.md.
 */
export async function eraseSupporterRows(
  sql: Sql,
  supporterId: string,
  {
    limitKeys = (email) => [email],
  }: {
    /** The keys rate-limit buckets name this email by (hashed ones, and the raw address). */
    limitKeys?: (email: string) => string[]
  } = {},
) {
  const [supporter] = await sql<{ email: string | null; erasedAt: Date | null }[]>`
    select email, erased_at from supporters where id = ${supporterId} for update`
  if (!supporter) return undefined
  const email = supporter.email
  const letterIds = (
    await sql<{ id: string }[]>`select id from letters where supporter_id = ${supporterId}`
  ).map((r) => r.id)
  const signatureIds = (
    await sql<{ id: string }[]>`select id::text from signatures where supporter_id = ${supporterId}`
  ).map((r) => r.id)
  const customerIds = (
    await sql<{ id: string }[]>`
      select stripe_customer_id as id from donations
      where supporter_id = ${supporterId} and stripe_customer_id is not null
      union
      select stripe_customer_id from donation_subscriptions where supporter_id = ${supporterId}`
  ).map((r) => r.id)
  const deliveries = await sql<{ id: string; messageId: string | null }[]>`
    select id::text, message_id from deliveries where letter_id = any(${letterIds}::uuid[])`
  const deliveryIds = deliveries.map((d) => d.id)
  const messageIds = deliveries.flatMap((d) => (d.messageId ? [d.messageId] : []))

  // Every email to, from or about them, in any status: the letter copies to offices carry their
  // name in From, their address in Reply-To and the letter in the body.
  const outbox = await sql`
    update outbound_emails set
      to_address = case when lower(to_address) = ${email} then 'erased@erased.invalid' else to_address end,
      from_address = case when supporter_id is null and (message_id = any(${messageIds}::text[])
                                                         or headers ->> 'X-Writ-Letter' = any(${letterIds}::text[])
                                                         or lower(reply_to) = ${email})
                          then 'erased@erased.invalid' else from_address end,
      reply_to = null,
      subject = '[erased]', html = '', text_body = '', headers = '{}'::jsonb,
      last_error = null, smtp_response = null, body_purged_at = coalesce(body_purged_at, now()),
      status = case when status in ('queued', 'sending') then 'suppressed' else status end
    where supporter_id = ${supporterId}
       or message_id = any(${messageIds}::text[])
       or headers ->> 'X-Writ-Letter' = any(${letterIds}::text[])
       or (${email}::text is not null and (lower(to_address) = ${email} or lower(reply_to) = ${email}))
    returning id`

  // Their copies' past evidence goes; then what was not yet handed to an office is cancelled.
  await sql`
    update deliveries set evidence = '{"erased": true}'::jsonb, last_error = null,
      subject = null, body = null
    where id = any(${deliveryIds}::bigint[])`
  await sql`
    update delivery_events set evidence = '{"erased": true}'::jsonb
    where delivery_id = any(${deliveryIds}::bigint[])`
  const cancelled = await sql`
    with cancelled as (
      update deliveries d
      set status = 'cancelled', evidence = '{"reason": "erased"}'::jsonb, locked_by = null,
          locked_at = null, finished_at = now(), updated_at = now()
      from (select id, status from deliveries
            where id = any(${deliveryIds}::bigint[])
              and status in ('queued', 'sending', 'awaiting_hand_delivery')
            for update) old
      where d.id = old.id
      returning d.id, old.status as from_status
    ), events as (
      insert into delivery_events (delivery_id, from_status, to_status, evidence)
      select id, from_status, 'cancelled', '{"reason": "erased"}'::jsonb from cancelled
    )
    select id from cancelled`
  await sql`
    update letters set prefix = null, first_name = null, last_name = null, email = null,
      street = null, city = null, state = null, zip = null, subject = null, body = null,
      erased_at = coalesce(erased_at, now())
    where supporter_id = ${supporterId}`

  // Where their signatures counted is kept only in aggregate (metrics_erased_places): the places
  // rollup keeps its counts, and metrics_rebuild() adds the aggregate back (migration 0082).
  await sql`
    with places as (
      select campaign_id, coalesce(state, '') as state,
             coalesce(congressional_district, '') as district,
             count(*) as total, count(confirmed_at) as confirmed
      from signatures
      where supporter_id = ${supporterId} and not held and erased_at is null
      group by 1, 2, 3
    ), kept as (
      insert into metrics_erased_places as m (campaign_id, state, district, total, confirmed)
      select campaign_id, state, district, total, confirmed from places
      on conflict (campaign_id, state, district) do update
        set total = m.total + excluded.total, confirmed = m.confirmed + excluded.confirmed
    )
    insert into metrics_signature_places as m (campaign_id, state, district, shard, total, confirmed)
    select campaign_id, state, district, 0, total, confirmed from places
    on conflict (campaign_id, state, district, shard) do update
      set total = m.total + excluded.total, confirmed = m.confirmed + excluded.confirmed`
  // (the signatures trigger takes each erased signature out of its place)
  await sql`
    update signatures set display_name = null, comment = null, ip_hash = null, city = null,
      state = null, congressional_district = null, anonymous = true,
      erased_at = coalesce(erased_at, now())
    where supporter_id = ${supporterId}`
  await sql`update consents set ip_hash = null where supporter_id = ${supporterId}`
  await deleteEmailTokensOf(sql, [supporterId, ...letterIds, ...signatureIds, ...customerIds])

  // Rate-limit buckets keyed by their email: hashed keys, and raw ones from before the hashing.
  if (email) {
    const needles = [...new Set([email, ...limitKeys(email)])].map((k) => `:email:${k}:`)
    await sql`
      delete from rate_limit_hits
      where exists (select 1 from unnest(${needles}::text[]) as k(n) where position(k.n in bucket) > 0)`
  }
  // Call visits (migration 0130) keep their counts, not the caller's name, city or ZIP.
  await sql`
    update call_visits set first_name = null, last_name = null, city = null, state = null,
      zip = null, supporter_id = null
    where supporter_id = ${supporterId}`
  await sql`
    update supporters set email = null, first_name = null, last_name = null, street = null,
      city = null, state = null, zip = null, list_opt_in = false,
      erased_at = coalesce(erased_at, now()), updated_at = now()
    where id = ${supporterId}`
  // Only the id, so that receivers can erase their copy too (issue 15).
  if (!supporter.erasedAt) await enqueueWebhook(sql, 'supporter.erased', { person_id: supporterId })
  return {
    signatures: signatureIds.length,
    letters: letterIds.length,
    deliveries: deliveries.length,
    cancelled: cancelled.length,
    outboundEmails: outbox.length,
  }
}
