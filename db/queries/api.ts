import type { Sql } from '../client'

// The REST API's reads and its keys (docs/decisions/1000-rest-api.md). Lists are keyset-paged:
// each row carries `cursor`, the position the next page starts after, so that rows inserted
// while a client pages never shift what it has still to read.

/** Where the previous page ended: created_at as Postgres printed it (microseconds kept), and id. */
export type Position = { at: string; id: string }

export type ListWindow<P = Position> = {
  after: P | null
  /** rows to return; the query reads one more to know whether there is a next page */
  limit: number
  updatedSince: Date | null
}

// Keys ----------------------------------------------------------------------------------------

export type ApiKeyRow = {
  id: string
  name: string
  prefix: string
  scopes: string[]
  rateLimitPerMinute: number
  createdAt: Date
  lastUsedAt: Date | null
  revokedAt: Date | null
  createdVia: string
  creatorEmail: string | null
}

export async function insertApiKey(
  sql: Sql,
  k: {
    name: string
    prefix: string
    tokenHash: Buffer
    scopes: string[]
    rateLimitPerMinute: number
    createdBy: string | null
    createdVia: 'admin' | 'cli'
  },
): Promise<string> {
  const [row] = await sql<{ id: string }[]>`insert into api_keys ${sql(k)} returning id`
  return row.id
}

export async function listApiKeys(sql: Sql): Promise<ApiKeyRow[]> {
  return sql<ApiKeyRow[]>`
    select k.id, k.name, k.prefix, k.scopes, k.rate_limit_per_minute, k.created_at,
           k.last_used_at, k.revoked_at, k.created_via, o.email as creator_email
    from api_keys k left join organizers o on o.id = k.created_by
    order by k.revoked_at is not null, k.created_at desc`
}

export async function revokeApiKey(sql: Sql, id: string, organizerId: string): Promise<boolean> {
  const rows = await sql`
    update api_keys set revoked_at = now(), revoked_by = ${organizerId}
    where id = ${id} and revoked_at is null returning id`
  return rows.length > 0
}

export type AuthenticatedKey = {
  id: string
  scopes: string[]
  rateLimitPerMinute: number
  /** requests counted in this minute's window, this one included */
  hits: number
  /** seconds until the window resets */
  resetSeconds: number
}

/**
 * Finds a live key by its hash and counts this request in the key's per-minute window. The window
 * is one row that every request of the key updates, in `rate_limit_hits`, an UNLOGGED table: this
 * statement writes no WAL, so its commit does not wait for a WAL flush while holding that row's
 * lock (ADR 1301). The audit row is written by auditApiKeyUse, in its own statement.
 */
export async function countApiKeyUse(
  sql: Sql,
  tokenHash: Buffer,
): Promise<AuthenticatedKey | undefined> {
  const [row] = await sql<AuthenticatedKey[]>`
    with k as (
      select id, scopes, rate_limit_per_minute from api_keys
      where token_hash = ${tokenHash} and revoked_at is null
    ), hit as (
      insert into rate_limit_hits (bucket, window_start, hits)
      select 'api:key:' || k.id || ':60', to_timestamp(floor(extract(epoch from now()) / 60) * 60), 1
      from k
      on conflict (bucket, window_start) do update set hits = rate_limit_hits.hits + 1
      returning hits, ceil(extract(epoch from window_start) + 60 - extract(epoch from now()))::int
        as reset_seconds
    )
    select k.id, k.scopes, k.rate_limit_per_minute, hit.hits, hit.reset_seconds
    from k cross join hit`
  return row
}

/**
 * The audit trail: one row per use of a key, and last_used_at refreshed at most once a minute
 * (one hot row otherwise).
 */
export async function auditApiKeyUse(
  sql: Sql,
  use: { keyId: string; method: string; path: string; ipHash: string | null },
): Promise<void> {
  await sql`
    with touch as (
      update api_keys set last_used_at = now()
      where id = ${use.keyId} and (last_used_at is null or last_used_at < now() - interval '1 minute')
    )
    insert into api_key_uses (key_id, method, path, ip_hash)
    values (${use.keyId}, ${use.method}, ${use.path}, ${use.ipHash})`
}

// Campaigns -----------------------------------------------------------------------------------

export type ApiCampaignRow = {
  id: string
  slug: string
  kind: string
  status: string
  goal: number
  defaultLocale: string
  locales: string[]
  headline: string | null
  summary: string | null
  signatures: number
  confirmedSignatures: number
  createdAt: Date
  updatedAt: Date
  publishedAt: Date | null
  closedAt: Date | null
  cursor: string
}

const campaignColumns = (sql: Sql) => sql`
  c.id, c.slug, c.kind, c.status, c.goal, c.default_locale, c.locales,
  cc.headline, cc.summary,
  coalesce((select sum(total) from signature_counts n where n.campaign_id = c.id), 0)::int as signatures,
  coalesce((select sum(confirmed) from signature_counts n where n.campaign_id = c.id), 0)::int
    as confirmed_signatures,
  c.created_at, c.updated_at, c.published_at, c.closed_at, c.created_at::text as cursor`

export async function listApiCampaigns(sql: Sql, w: ListWindow): Promise<ApiCampaignRow[]> {
  return sql<ApiCampaignRow[]>`
    select ${campaignColumns(sql)}
    from campaigns c
    left join campaign_copy cc on cc.campaign_id = c.id and cc.locale = c.default_locale
    where ${w.after ? sql`(c.created_at, c.id) > (${w.after.at}::timestamptz, ${w.after.id}::uuid)` : sql`true`}
      and ${w.updatedSince ? sql`c.updated_at >= ${w.updatedSince}` : sql`true`}
    order by c.created_at, c.id
    limit ${w.limit + 1}`
}

export async function findApiCampaign(sql: Sql, id: string): Promise<ApiCampaignRow | undefined> {
  const [row] = await sql<ApiCampaignRow[]>`
    select ${campaignColumns(sql)}
    from campaigns c
    left join campaign_copy cc on cc.campaign_id = c.id and cc.locale = c.default_locale
    where c.id = ${id}`
  return row
}

// People --------------------------------------------------------------------------------------

export type ApiPersonRow = {
  id: string
  email: string | null
  firstName: string | null
  lastName: string | null
  city: string | null
  state: string | null
  zip: string | null
  locale: string
  listOptIn: boolean
  unsubscribedAt: Date | null
  erasedAt: Date | null
  createdAt: Date
  updatedAt: Date
  cursor: string
}

const personColumns = (sql: Sql) => sql`
  p.id, p.email, p.first_name, p.last_name, p.city, p.state, p.zip, p.locale, p.list_opt_in,
  p.unsubscribed_at, p.erased_at, p.created_at, p.updated_at, p.created_at::text as cursor`

export async function listApiPeople(sql: Sql, w: ListWindow): Promise<ApiPersonRow[]> {
  return sql<ApiPersonRow[]>`
    select ${personColumns(sql)}
    from supporters p
    where ${w.after ? sql`(p.created_at, p.id) > (${w.after.at}::timestamptz, ${w.after.id}::uuid)` : sql`true`}
      and ${w.updatedSince ? sql`p.updated_at >= ${w.updatedSince}` : sql`true`}
    order by p.created_at, p.id
    limit ${w.limit + 1}`
}

export async function findApiPerson(sql: Sql, id: string): Promise<ApiPersonRow | undefined> {
  const [row] = await sql<
    ApiPersonRow[]
  >`select ${personColumns(sql)} from supporters p where p.id = ${id}`
  return row
}

// Signatures ----------------------------------------------------------------------------------

export type ApiSignatureRow = {
  id: string
  campaignId: string
  personId: string
  personErased: boolean
  comment: string | null
  anonymous: boolean
  locale: string
  source: string | null
  confirmedAt: Date | null
  createdAt: Date
  erasedAt: Date | null
  updatedAt: Date
}

const signatureColumns = (sql: Sql) => sql`
  s.id::text, s.campaign_id, s.supporter_id as person_id, s.erased_at is not null as person_erased,
  s.comment, s.anonymous, s.locale, s.source, s.confirmed_at, s.created_at, s.erased_at,
  greatest(s.created_at, s.confirmed_at, s.erased_at) as updated_at`

/** A campaign's signatures (not held ones), by id: ids only grow, so the order is stable. */
export async function listApiSignatures(
  sql: Sql,
  campaignId: string,
  w: ListWindow<string>,
): Promise<ApiSignatureRow[]> {
  return sql<ApiSignatureRow[]>`
    select ${signatureColumns(sql)}
    from signatures s
    where s.campaign_id = ${campaignId} and not s.held
      and ${w.after ? sql`s.id > ${w.after}::bigint` : sql`true`}
      and ${w.updatedSince ? sql`greatest(s.created_at, s.confirmed_at, s.erased_at) >= ${w.updatedSince}` : sql`true`}
    order by s.id
    limit ${w.limit + 1}`
}

export async function findApiSignature(
  sql: Sql,
  campaignId: string,
  where: { id: string } | { email: string },
): Promise<ApiSignatureRow | undefined> {
  const [row] = await sql<ApiSignatureRow[]>`
    select ${signatureColumns(sql)}
    from signatures s
    where s.campaign_id = ${campaignId}
      and ${
        'id' in where
          ? sql`s.id = ${where.id}::bigint`
          : sql`s.supporter_id = (select id from supporters where email = ${where.email})`
      }`
  return row
}

// Letters -------------------------------------------------------------------------------------

export type ApiDeliveryRow = {
  id: string
  officeKey: string
  officeName: string
  officeTitle: string
  chamber: string | null
  state: string | null
  district: string | null
  channel: string
  status: string
  attempts: number
  createdAt: string
  updatedAt: string
  finishedAt: string | null
}

export type ApiLetterRow = {
  id: string
  campaignId: string
  personId: string
  personErased: boolean
  signatureId: string | null
  subject: string | null
  body: string | null
  locale: string
  held: boolean
  createdAt: Date
  updatedAt: Date
  deliveries: ApiDeliveryRow[]
  cursor: string
}

export async function listApiLetters(
  sql: Sql,
  campaignId: string,
  w: ListWindow,
): Promise<ApiLetterRow[]> {
  return sql<ApiLetterRow[]>`
    select l.id, l.campaign_id, l.supporter_id as person_id, l.erased_at is not null as person_erased,
           l.signature_id::text, l.subject, l.body, l.locale, l.held, l.created_at,
           greatest(l.created_at, l.erased_at, d.updated_at) as updated_at,
           coalesce(d.deliveries, '[]'::json) as deliveries, l.created_at::text as cursor
    from letters l
    left join lateral (
      select max(x.updated_at) as updated_at,
             json_agg(json_build_object(
               'id', x.id::text, 'officeKey', x.office_key, 'officeName', x.office_name,
               'officeTitle', x.office_title, 'chamber', x.chamber, 'state', x.state,
               'district', x.district, 'channel', x.channel, 'status', x.status,
               'attempts', x.attempts, 'createdAt', x.created_at, 'updatedAt', x.updated_at,
               'finishedAt', x.finished_at) order by x.id) as deliveries
      from deliveries x where x.letter_id = l.id
    ) d on true
    where l.campaign_id = ${campaignId}
      and ${w.after ? sql`(l.created_at, l.id) > (${w.after.at}::timestamptz, ${w.after.id}::uuid)` : sql`true`}
      and ${w.updatedSince ? sql`greatest(l.created_at, l.erased_at, d.updated_at) >= ${w.updatedSince}` : sql`true`}
    order by l.created_at, l.id
    limit ${w.limit + 1}`
}

// Donations -----------------------------------------------------------------------------------

export type ApiDonationRow = {
  id: string
  campaignId: string | null
  personId: string | null
  personErased: boolean
  amountCents: number
  feeCoverCents: number
  amountRefundedCents: number
  currency: string
  recurring: boolean
  status: string
  source: string | null
  createdAt: Date
  updatedAt: Date
  paidAt: Date | null
  refundedAt: Date | null
  cursor: string
}

export async function listApiDonations(sql: Sql, w: ListWindow): Promise<ApiDonationRow[]> {
  return sql<ApiDonationRow[]>`
    select d.id, d.campaign_id, d.supporter_id as person_id,
           coalesce(p.erased_at is not null, false) as person_erased,
           d.amount_cents, d.fee_cover_cents, d.amount_refunded_cents, d.currency, d.recurring,
           d.status, d.source, d.created_at, d.updated_at, d.paid_at, d.refunded_at,
           d.created_at::text as cursor
    from donations d left join supporters p on p.id = d.supporter_id
    where ${w.after ? sql`(d.created_at, d.id) > (${w.after.at}::timestamptz, ${w.after.id}::uuid)` : sql`true`}
      and ${w.updatedSince ? sql`d.updated_at >= ${w.updatedSince}` : sql`true`}
    order by d.created_at, d.id
    limit ${w.limit + 1}`
}

/** The API's audit trail is kept `days` days. */
export async function deleteOldApiKeyUses(sql: Sql, days: number): Promise<number> {
  const rows = await sql`
    delete from api_key_uses where created_at < now() - make_interval(days => ${days}) returning 1`
  return rows.length
}
