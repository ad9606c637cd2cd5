import type { Sql } from '../client'
import { deleteEmailTokensOf } from './email-tokens'

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
  return { supporter, consents, signatures, letters, donations, outboundEmails }
}

/**
 * Removes the supporter's personal data everywhere it is copied, keeping the rows that counts are
 * made of (signatures, letters, deliveries, donations). Run inside a transaction.
 */
export async function eraseSupporterRows(sql: Sql, supporterId: string) {
  const [supporter] = await sql<{ email: string | null }[]>`
    select email from supporters where id = ${supporterId} for update`
  if (!supporter) return undefined
  const email = supporter.email
  const letterIds = (
    await sql<{ id: string }[]>`select id from letters where supporter_id = ${supporterId}`
  ).map((r) => r.id)
  const signatureIds = (
    await sql<{ id: string }[]>`select id::text from signatures where supporter_id = ${supporterId}`
  ).map((r) => r.id)

  const outbox = await sql`
    update outbound_emails set
      to_address = case when lower(to_address) = ${email} then 'erased@erased.invalid' else to_address end,
      reply_to = case when lower(reply_to) = ${email} then null else reply_to end,
      subject = '[erased]', html = '', text_body = '', headers = '{}'::jsonb,
      status = case when status in ('queued', 'sending') then 'suppressed' else status end
    where supporter_id = ${supporterId}
       or (${email}::text is not null and (lower(to_address) = ${email} or lower(reply_to) = ${email}))
    returning id`
  const deliveries = await sql`
    update deliveries set evidence = '{"erased": true}'::jsonb, last_error = null
    where letter_id = any(${letterIds}::uuid[])
    returning id`
  await sql`
    update delivery_events set evidence = '{"erased": true}'::jsonb
    where delivery_id = any(${deliveries.map((d) => d.id)}::bigint[])`
  await sql`
    update letters set prefix = null, first_name = null, last_name = null, email = null,
      street = null, city = null, state = null, zip = null, body = '[erased]'
    where supporter_id = ${supporterId}`
  await sql`
    update signatures set display_name = null, comment = null, ip_hash = null, city = null,
      anonymous = true
    where supporter_id = ${supporterId}`
  await sql`update consents set ip_hash = null where supporter_id = ${supporterId}`
  await deleteEmailTokensOf(sql, [supporterId, ...letterIds, ...signatureIds])
  await sql`
    update supporters set email = null, first_name = null, last_name = null, street = null,
      city = null, zip = null, list_opt_in = false, erased_at = now(), updated_at = now()
    where id = ${supporterId}`
  return {
    signatures: signatureIds.length,
    letters: letterIds.length,
    deliveries: deliveries.length,
    outboundEmails: outbox.length,
  }
}
