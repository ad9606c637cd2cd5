import type postgres from 'postgres'
import type { Sql } from '../client'
import { listMailable } from './mail'

// Mailings: email from organizers to their consenting supporters (ADR 1100).

export type MailingCopy = { subject: string; body: string }
export type MailingAudience = {
  /** null: supporters of all campaigns */
  campaignId: string | null
  states: string[]
  /** "GA-5": state and congressional district */
  districts: string[]
  locales: string[]
}
export type MailingStatus = 'draft' | 'scheduled' | 'sending' | 'sent' | 'canceled'

export type Mailing = {
  id: string
  campaignId: string | null
  campaignSlug: string | null
  allCampaigns: boolean
  audience: { states?: string[]; districts?: string[]; locales?: string[] }
  copy: Partial<Record<'en' | 'es', MailingCopy>>
  status: MailingStatus
  scheduledAt: Date | null
  createdAt: Date
  startedAt: Date | null
  finishedAt: Date | null
  canceledAt: Date | null
}

export type MailingStats = {
  recipients: number
  pending: number
  sent: number
  failed: number
  /** not sent: the supporter left (unsubscribed, erased, bounced) after the mailing started */
  suppressed: number
  canceled: number
  /** recipients who unsubscribed within 7 days of the mailing's start */
  unsubscribes: number
}

/**
 * The audience: confirmed (not held, not erased) signers of the campaign, or of any campaign,
 * whom list mail may reach (listMailable), filtered by state, district and language. One row per
 * supporter, with the language they get.
 */
function audienceQuery(sql: Sql, a: MailingAudience): postgres.Fragment {
  return sql`
    select distinct on (s.id) s.id as supporter_id, s.email, s.locale
    from signatures g
    join supporters s on s.id = g.supporter_id
    where ${a.campaignId ? sql`g.campaign_id = ${a.campaignId}` : sql`true`}
      and g.confirmed_at is not null and not g.held and g.erased_at is null
      and ${listMailable(sql, sql`s`)}
      and (cardinality(${a.states}::text[]) = 0 or coalesce(g.state, s.state) = any(${a.states}::text[]))
      and (cardinality(${a.districts}::text[]) = 0
           or g.state || '-' || g.congressional_district = any(${a.districts}::text[]))
      and (cardinality(${a.locales}::text[]) = 0 or s.locale = any(${a.locales}::text[]))
    order by s.id`
}

export async function countAudience(sql: Sql, a: MailingAudience): Promise<number> {
  const [row] = await sql<
    { n: number }[]
  >`select count(*)::int as n from (${audienceQuery(sql, a)}) x`
  return row!.n
}

export type NewMailing = {
  audience: MailingAudience
  copy: Partial<Record<'en' | 'es', MailingCopy>>
  createdBy: string
}

function audienceJson(a: MailingAudience) {
  return { states: a.states, districts: a.districts, locales: a.locales }
}

export async function insertMailing(sql: Sql, m: NewMailing): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into mailings ${sql({
      campaignId: m.audience.campaignId,
      allCampaigns: m.audience.campaignId === null,
      audience: sql.json(audienceJson(m.audience)),
      copy: sql.json(m.copy as never),
      createdBy: m.createdBy,
    })}
    returning id`
  return row!.id
}

/** A draft's copy and audience; false when it is no longer a draft. */
export async function updateMailingDraft(
  sql: Sql,
  id: string,
  m: Omit<NewMailing, 'createdBy'>,
): Promise<boolean> {
  const done = await sql`
    update mailings set campaign_id = ${m.audience.campaignId},
      all_campaigns = ${m.audience.campaignId === null},
      audience = ${sql.json(audienceJson(m.audience))}, copy = ${sql.json(m.copy as never)},
      updated_at = now()
    where id = ${id} and status = 'draft'`
  return done.count > 0
}

const mailingColumns = (sql: Sql) => sql`
  m.id, m.campaign_id, c.slug as campaign_slug, m.all_campaigns, m.audience, m.copy, m.status,
  m.scheduled_at, m.created_at, m.started_at, m.finished_at, m.canceled_at`

export async function getMailing(sql: Sql, id: string): Promise<Mailing | undefined> {
  const [row] = await sql<Mailing[]>`
    select ${mailingColumns(sql)}
    from mailings m left join campaigns c on c.id = m.campaign_id
    where m.id = ${id}`
  return row
}

export function mailingAudience(m: Mailing): MailingAudience {
  return {
    campaignId: m.allCampaigns ? null : m.campaignId,
    states: m.audience.states ?? [],
    districts: m.audience.districts ?? [],
    locales: m.audience.locales ?? [],
  }
}

export async function listMailings(sql: Sql, limit = 100): Promise<Array<Mailing & MailingStats>> {
  return sql<Array<Mailing & MailingStats>>`
    select ${mailingColumns(sql)}, st.*
    from mailings m
    left join campaigns c on c.id = m.campaign_id
    cross join lateral (${statsQuery(sql, sql`m`)}) st
    order by m.created_at desc
    limit ${limit}`
}

function statsQuery(sql: Sql, m: postgres.Fragment): postgres.Fragment {
  return sql`
    select count(r.*)::int as recipients,
           count(*) filter (where r.status = 'pending')::int as pending,
           count(*) filter (where o.status in ('sent', 'local'))::int as sent,
           count(*) filter (where o.status = 'failed')::int as failed,
           count(*) filter (where r.status = 'suppressed' or o.status = 'suppressed')::int
             as suppressed,
           count(*) filter (where r.status = 'canceled')::int as canceled,
           count(*) filter (where s.unsubscribed_at >= ${m}.started_at
                              and s.unsubscribed_at < ${m}.started_at + interval '7 days')::int
             as unsubscribes
    from mailing_recipients r
    left join outbound_emails o on o.message_id = r.message_id
    left join supporters s on s.id = r.supporter_id
    where r.mailing_id = ${m}.id`
}

export async function getMailingStats(sql: Sql, id: string): Promise<MailingStats> {
  const [row] = await sql<MailingStats[]>`
    select st.* from mailings m cross join lateral (${statsQuery(sql, sql`m`)}) st
    where m.id = ${id}`
  return row!
}

/** Schedules a draft (now or later). False when it is no longer a draft or has no audience. */
export async function scheduleMailing(sql: Sql, id: string, at: Date | null): Promise<boolean> {
  const done = await sql`
    update mailings set status = 'scheduled', scheduled_at = coalesce(${at}, now()), updated_at = now()
    where id = ${id} and status = 'draft' and (all_campaigns or campaign_id is not null)`
  return done.count > 0
}

/**
 * Stops a scheduled or sending mailing: recipients not yet released are `canceled`, and emails
 * released but not yet sent leave the outbox (`suppressed`). False when there was nothing to stop.
 */
export async function cancelMailing(sql: Sql, id: string): Promise<boolean> {
  const [row] = await sql<{ id: string }[]>`
    update mailings set status = 'canceled', canceled_at = now(), updated_at = now()
    where id = ${id} and status in ('draft', 'scheduled', 'sending')
    returning id`
  if (!row) return false
  await sql`
    update mailing_recipients set status = 'canceled'
    where mailing_id = ${id} and status = 'pending'`
  await sql`
    update outbound_emails o set status = 'suppressed'
    from mailing_recipients r
    where r.mailing_id = ${id} and r.status = 'queued' and o.message_id = r.message_id
      and o.status = 'queued'`
  return true
}

/**
 * Mailings whose time has come start sending: their recipients are fixed now, from the audience
 * as it is at this moment. Returns the started mailings' ids.
 */
export async function startDueMailings(sql: Sql): Promise<string[]> {
  const due = await sql<Mailing[]>`
    select ${mailingColumns(sql)}
    from mailings m left join campaigns c on c.id = m.campaign_id
    where m.status = 'scheduled' and m.scheduled_at <= now()
    order by m.scheduled_at
    for update of m skip locked
    limit 5`
  for (const m of due) {
    await sql`
      insert into mailing_recipients (mailing_id, supporter_id, locale)
      select ${m.id}, a.supporter_id, a.locale from (${audienceQuery(sql, mailingAudience(m))}) a
      on conflict do nothing`
    await sql`
      update mailings set status = 'sending', started_at = now(), updated_at = now()
      where id = ${m.id}`
  }
  return due.map((m) => m.id)
}

/** Whether any mailing is sending, or scheduled and due: the worker's cheap check each pass. */
export async function hasMailingWork(sql: Sql): Promise<boolean> {
  const [row] = await sql<{ work: boolean }[]>`
    select exists (
      select 1 from mailings
      where status = 'sending' or (status = 'scheduled' and scheduled_at <= now())
    ) as work`
  return row!.work
}

/** List mail queued in the last `seconds` (the pacing window). */
export async function countRecentListMail(sql: Sql, seconds: number): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from outbound_emails
    where kind = 'list' and created_at > now() - make_interval(secs => ${seconds})`
  return row!.n
}

/** Serializes releases across workers for the transaction (the pacing budget is global). */
export async function lockMailingRelease(sql: Sql): Promise<boolean> {
  const [row] = await sql<{ locked: boolean }[]>`
    select pg_try_advisory_xact_lock(hashtext('writ:mailing-release')) as locked`
  return row!.locked
}

export type ReleasedRecipient = {
  mailingId: string
  supporterId: string
  email: string | null
  locale: string
  mailable: boolean
}

/**
 * Takes up to `limit` pending recipients of sending mailings, oldest mailing first, and marks
 * them queued with their Message-ID (the caller queues the email in the same transaction).
 */
export async function takePendingRecipients(
  sql: Sql,
  limit: number,
  messageIdFor: (mailingId: string, supporterId: string) => string,
): Promise<ReleasedRecipient[]> {
  const rows = await sql<ReleasedRecipient[]>`
    select r.mailing_id, r.supporter_id, s.email, r.locale, ${listMailable(sql, sql`s`)} as mailable
    from mailing_recipients r
    join mailings m on m.id = r.mailing_id and m.status = 'sending'
    join supporters s on s.id = r.supporter_id
    where r.status = 'pending'
    order by m.started_at, r.supporter_id
    for update of r skip locked
    limit ${limit}`
  if (rows.length === 0) return rows
  // snake_case keys: sql.json is sent as is
  const updates = rows.map((r) => ({
    mailing_id: r.mailingId,
    supporter_id: r.supporterId,
    status: r.mailable && r.email ? 'queued' : 'suppressed',
    message_id: r.mailable && r.email ? messageIdFor(r.mailingId, r.supporterId) : null,
  }))
  await sql`
    update mailing_recipients r set status = u.status, message_id = u.message_id
    from jsonb_to_recordset(${sql.json(updates)})
      as u (mailing_id uuid, supporter_id uuid, status text, message_id text)
    where r.mailing_id = u.mailing_id and r.supporter_id = u.supporter_id`
  return rows
}

/** Sending mailings with nothing left to release are `sent`. */
export async function finishDrainedMailings(sql: Sql): Promise<number> {
  const done = await sql`
    update mailings m set status = 'sent', finished_at = now(), updated_at = now()
    where m.status = 'sending'
      and not exists (select 1 from mailing_recipients r where r.mailing_id = m.id and r.status = 'pending')`
  return done.count
}
