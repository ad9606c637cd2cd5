import type { Sql } from '../client'
import type { CampaignStatus, TargetConfig } from './campaigns'

// Call campaigns (migration 0130): visits, call logs, patch-through sessions, social post clicks.

export type CallOutcome = 'reached' | 'voicemail' | 'busy' | 'skipped'
export type CallVia = 'tel' | 'patch'
export type SocialNetwork = 'x' | 'bluesky' | 'mastodon'
export type CallGroup = 'default' | 'senate' | 'house'
export type CallConfig = {
  /** chambers in the order the supporter calls them */
  order?: Array<'senate' | 'house'>
  patchThrough?: boolean
}

export type CallCampaignRow = {
  id: string
  slug: string
  status: CampaignStatus
  targetConfig: TargetConfig
  callConfig: CallConfig
  headline: string
  locale: string
  callScripts: Partial<Record<CallGroup, string>>
  postText: string
}

/** A public call campaign with its copy in `locale` (or its default locale); undefined otherwise. */
export async function findCallCampaign(
  sql: Sql,
  slug: string,
  locale: string,
): Promise<CallCampaignRow | undefined> {
  const [row] = await sql<CallCampaignRow[]>`
    select c.id, c.slug, c.status, c.target_config, c.call_config,
           cc.headline, cc.locale, cc.call_scripts, cc.post_text
    from campaigns c
    cross join lateral (
      select * from campaign_copy
      where campaign_id = c.id and locale in (${locale}, c.default_locale)
      order by (locale = ${locale}) desc
      limit 1
    ) cc
    where c.slug = ${slug} and c.kind = 'call' and c.status in ('live', 'closed')`
  return row
}

/** The post text of any public campaign (letters and petitions get one too), in `locale`. */
export async function findPostText(
  sql: Sql,
  campaignId: string,
  locale: string,
): Promise<string | undefined> {
  const [row] = await sql<{ postText: string }[]>`
    select cc.post_text from campaigns c
    cross join lateral (
      select post_text from campaign_copy
      where campaign_id = c.id and locale in (${locale}, c.default_locale)
      order by (locale = ${locale}) desc limit 1
    ) cc
    where c.id = ${campaignId}`
  return row?.postText
}

export type LegislatorContact = {
  id: string
  districtOffices: Array<{ city?: string; zip?: string; phone?: string; address?: string }>
  social: Record<string, unknown>
}

/** District offices and social accounts of the given legislators (bioguide ids). */
export async function selectLegislatorContacts(
  sql: Sql,
  ids: string[],
): Promise<LegislatorContact[]> {
  if (ids.length === 0) return []
  return sql<LegislatorContact[]>`
    select id, district_offices, social from legislators where id = any(${ids})`
}

/** Current holders' bioguide ids of the given offices. */
export async function selectOfficeHolders(
  sql: Sql,
  officeIds: string[],
): Promise<Array<{ officeId: string; holderId: string | null }>> {
  if (officeIds.length === 0) return []
  return sql<Array<{ officeId: string; holderId: string | null }>>`
    select id as office_id, holder_id from offices where id = any(${officeIds})`
}

export async function insertCallVisit(
  sql: Sql,
  visit: {
    campaignId: string
    supporterId: string | null
    firstName: string
    lastName: string
    city: string
    state: string | null
    zip: string
    tokenHash: Buffer
    officeKeys: string[]
    locale: string
  },
): Promise<{ id: string }> {
  const [row] = await sql<{ id: string }[]>`
    insert into call_visits ${sql({ ...visit, officeKeys: sql.array(visit.officeKeys) })}
    returning id`
  return row!
}

export type CallVisitRow = {
  id: string
  campaignId: string
  campaignSlug: string
  officeKeys: string[]
  locale: string
  firstName: string | null
  city: string | null
  state: string | null
  zip: string | null
}

export async function findCallVisitByTokenHash(
  sql: Sql,
  tokenHash: Buffer,
): Promise<CallVisitRow | undefined> {
  const [row] = await sql<CallVisitRow[]>`
    select v.id, v.campaign_id, c.slug as campaign_slug, v.office_keys, v.locale,
           v.first_name, v.city, v.state, v.zip
    from call_visits v
    join campaigns c on c.id = v.campaign_id
    where v.token_hash = ${tokenHash}`
  return row
}

export async function findCallVisit(sql: Sql, id: string) {
  const [row] = await sql<Array<{ id: string; campaignId: string; officeKeys: string[] }>>`
    select id, campaign_id, office_keys from call_visits where id = ${id}`
  return row
}

/**
 * How a call went: one row per visit and office. A second tap (a double tap, or the supporter
 * changing their answer) updates the row; it never adds one.
 */
export async function upsertCallLog(
  sql: Sql,
  log: {
    visitId: string
    campaignId: string
    officeKey: string
    outcome: CallOutcome
    via: CallVia
    durationSeconds?: number | null
  },
): Promise<{ id: number; created: boolean }> {
  const [row] = await sql<{ id: number; created: boolean }[]>`
    insert into call_logs ${sql({ ...log, durationSeconds: log.durationSeconds ?? null })}
    on conflict (visit_id, office_key) do update set
      outcome = excluded.outcome,
      via = excluded.via,
      duration_seconds = coalesce(excluded.duration_seconds, call_logs.duration_seconds),
      updated_at = now()
    returning id, (xmax = 0) as created`
  return row!
}

export async function listCallLogsForVisit(
  sql: Sql,
  visitId: string,
): Promise<Array<{ officeKey: string; outcome: CallOutcome; via: CallVia }>> {
  return sql<Array<{ officeKey: string; outcome: CallOutcome; via: CallVia }>>`
    select office_key, outcome, via from call_logs where visit_id = ${visitId} order by id`
}

// ---------------------------------------------------------------------------------------------
// Patch-through sessions

/** Sessions started for this phone (its HMAC) since the start of today (UTC). */
export async function countSessionsToday(sql: Sql, phoneHash: Buffer): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from call_sessions
    where phone_hash = ${phoneHash} and created_at >= date_trunc('day', now() at time zone 'utc') at time zone 'utc'`
  return row!.n
}

export async function insertCallSession(
  sql: Sql,
  s: {
    visitId: string
    campaignId: string
    phone: string
    phoneHash: Buffer
    officeKeys: string[]
  },
): Promise<{ id: string }> {
  const [row] = await sql<{ id: string }[]>`
    insert into call_sessions ${sql({ ...s, officeKeys: sql.array(s.officeKeys) })} returning id`
  return row!
}

export type CallSessionRow = {
  id: string
  visitId: string
  campaignId: string
  officeKeys: string[]
  position: number
  status: 'dialing' | 'live' | 'ended' | 'failed'
  locale: string
}

export async function findCallSession(sql: Sql, id: string): Promise<CallSessionRow | undefined> {
  const [row] = await sql<CallSessionRow[]>`
    select s.id, s.visit_id, s.campaign_id, s.office_keys, s.position, s.status, v.locale
    from call_sessions s join call_visits v on v.id = s.visit_id
    where s.id = ${id}`
  return row
}

export async function setCallSessionSid(sql: Sql, id: string, callSid: string): Promise<void> {
  await sql`update call_sessions set call_sid = ${callSid} where id = ${id}`
}

export async function markCallSessionLive(sql: Sql, id: string): Promise<void> {
  await sql`update call_sessions set status = 'live' where id = ${id} and status = 'dialing'`
}

/** Moves to the office after `position`, once (a repeated callback does not skip an office). */
export async function advanceCallSession(sql: Sql, id: string, position: number): Promise<void> {
  await sql`
    update call_sessions set position = ${position + 1}
    where id = ${id} and position = ${position}`
}

/** Ends a session: the phone number is deleted; only its HMAC stays. */
export async function endCallSession(
  sql: Sql,
  id: string,
  status: 'ended' | 'failed',
): Promise<void> {
  await sql`
    update call_sessions set phone = null, ended_at = coalesce(ended_at, now()),
      status = case when status in ('ended', 'failed') then status else ${status} end
    where id = ${id}`
}

/** Sessions left live past any possible call (a lost status callback): their phone is deleted. */
export async function endStaleCallSessions(sql: Sql, olderThanMinutes: number): Promise<number> {
  const rows = await sql`
    update call_sessions set phone = null, status = 'failed', ended_at = now()
    where status in ('dialing', 'live')
      and created_at < now() - make_interval(mins => ${olderThanMinutes})
    returning id`
  return rows.count
}

export async function findCallSessionPhone(sql: Sql, id: string): Promise<string | null> {
  const [row] = await sql<{ phone: string | null }[]>`
    select phone from call_sessions where id = ${id}`
  return row?.phone ?? null
}

// ---------------------------------------------------------------------------------------------
// Social posts

export async function insertSocialPostClick(
  sql: Sql,
  click: { campaignId: string; officeKey: string; network: SocialNetwork },
): Promise<void> {
  await sql`insert into social_post_clicks ${sql(click)}`
}

// ---------------------------------------------------------------------------------------------
// The organizer's dashboard and staffer report

export type CallDayRow = {
  day: string
  officeKey: string
  reached: number
  voicemail: number
  busy: number
  skipped: number
  patchSeconds: number
}

/** Calls per office and day (UTC), by outcome, with patch-through seconds. */
export async function selectCallStats(sql: Sql, campaignId: string): Promise<CallDayRow[]> {
  return sql<CallDayRow[]>`
    select to_char(date_trunc('day', created_at at time zone 'utc'), 'YYYY-MM-DD') as day,
           office_key,
           count(*) filter (where outcome = 'reached')::int as reached,
           count(*) filter (where outcome = 'voicemail')::int as voicemail,
           count(*) filter (where outcome = 'busy')::int as busy,
           count(*) filter (where outcome = 'skipped')::int as skipped,
           coalesce(sum(duration_seconds) filter (where via = 'patch'), 0)::int as patch_seconds
    from call_logs where campaign_id = ${campaignId}
    group by 1, 2 order by 1 desc, 2`
}

export type PostDayRow = { day: string; officeKey: string; network: SocialNetwork; posts: number }

export async function selectPostStats(sql: Sql, campaignId: string): Promise<PostDayRow[]> {
  return sql<PostDayRow[]>`
    select to_char(date_trunc('day', created_at at time zone 'utc'), 'YYYY-MM-DD') as day,
           office_key, network, count(*)::int as posts
    from social_post_clicks where campaign_id = ${campaignId}
    group by 1, 2, 3 order by 1 desc, 2, 3`
}

export type CallerRow = {
  officeKey: string
  firstName: string
  lastName: string
  city: string | null
  zip: string | null
}

/** Each office's constituent callers (name, city, ZIP; never email or street). Erased ones drop out. */
export async function selectCallersByOffice(sql: Sql, campaignId: string): Promise<CallerRow[]> {
  return sql<CallerRow[]>`
    select distinct l.office_key, v.first_name, v.last_name, v.city, v.zip
    from call_logs l
    join call_visits v on v.id = l.visit_id
    where l.campaign_id = ${campaignId} and v.first_name is not null and l.outcome <> 'skipped'
    order by l.office_key, v.last_name, v.first_name`
}

/** Serializes session starts for one phone (its HMAC), so the daily limit holds under races. */
export async function lockCallPhone(sql: Sql, phoneHash: Buffer): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(encode(${phoneHash}::bytea, 'hex'), 1301))`
}

/** The offices a letter went to (by its status link's token hash), for its thank-you page. */
export async function selectLetterOfficeKeys(sql: Sql, tokenHash: Buffer): Promise<string[]> {
  const rows = await sql<{ officeKey: string }[]>`
    select d.office_key from deliveries d join letters l on l.id = d.letter_id
    where l.status_token_hash = ${tokenHash} and l.erased_at is null
    order by d.id`
  return rows.map((r) => r.officeKey)
}

// ---------------------------------------------------------------------------------------------
// The organizer's call settings (any campaign has post text; call campaigns have scripts)

export type CallSettingsRow = {
  id: string
  slug: string
  kind: string
  callConfig: CallConfig
  copies: Array<{
    locale: string
    callScripts: Partial<Record<CallGroup, string>>
    postText: string
  }>
}

export async function selectCallSettings(sql: Sql, campaignId: string) {
  const [row] = await sql<Omit<CallSettingsRow, 'copies'>[]>`
    select id, slug, kind, call_config from campaigns where id = ${campaignId}`
  if (!row) return undefined
  const copies = await sql<CallSettingsRow['copies']>`
    select locale, call_scripts, post_text from campaign_copy
    where campaign_id = ${campaignId} order by locale`
  return { ...row, copies } as CallSettingsRow
}

/** Saves the call settings; copy only for locales the campaign has (the editor owns those). */
export async function updateCallSettings(
  sql: Sql,
  campaignId: string,
  settings: {
    callConfig: CallConfig
    copies: Array<{
      locale: string
      callScripts: Partial<Record<CallGroup, string>>
      postText: string
    }>
  },
): Promise<void> {
  await sql`
    update campaigns set call_config = ${sql.json(settings.callConfig as never)}, updated_at = now()
    where id = ${campaignId}`
  for (const c of settings.copies) {
    await sql`
      update campaign_copy set call_scripts = ${sql.json(c.callScripts as never)},
        post_text = ${c.postText}
      where campaign_id = ${campaignId} and locale = ${c.locale}`
  }
}
