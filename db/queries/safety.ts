import type { Sql } from '../client'
import { listMailable } from './mail'
import { enqueueWebhookFrom } from './webhooks'

// Trust & safety: access rules, rate-limit windows, held signatures, the IP-burst count,
// unsubscribes and the list audience.

export type AccessRule = {
  id: number
  kind: 'ip' | 'email_domain'
  value: string
  action: 'allow' | 'block'
  note: string
  createdAt: Date
}

export type NewAccessRule = {
  kind: AccessRule['kind']
  value: string
  action: AccessRule['action']
  note: string
  createdBy: string | null
}

export async function listAccessRules(sql: Sql): Promise<AccessRule[]> {
  return sql<AccessRule[]>`
    select id, kind, value, action, note, created_at from access_rules order by kind, value`
}

/** Saving a rule for a kind and value that has one replaces its action and note. */
export async function upsertAccessRule(sql: Sql, rule: NewAccessRule): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into access_rules ${sql({
      kind: rule.kind,
      value: rule.value,
      action: rule.action,
      note: rule.note,
      createdBy: rule.createdBy,
    })}
    on conflict (kind, value) do update set action = excluded.action, note = excluded.note
    returning id::text`
  return row.id
}

export async function deleteAccessRule(
  sql: Sql,
  id: number | string,
): Promise<{ kind: string; value: string; action: string } | undefined> {
  const [row] = await sql<{ kind: string; value: string; action: string }[]>`
    delete from access_rules where id = ${id} returning kind, value, action`
  return row
}

/** Hits to count in one bucket of rate_limit_hits (ADR 0600, 1303, 1306). */
export type BucketHits = {
  /** `<purpose>:<kind>:<key>:<seconds>`: the fourth part is the bucket's window length */
  bucket: string
  /** how many hits to add at once (one bucket asked by several calls of one statement) */
  count: number
  /**
   * Also sum this bucket's earlier windows that started within this many seconds before the
   * current one (the IP-burst count's sliding span); 0 for the current window only.
   */
  lookbackSeconds: number
}

export type BucketTotal = {
  bucket: string
  /** the current window's count, these hits included */
  hits: number
  /** `hits` plus the earlier windows within the lookback */
  recent: number
  /** seconds until the current window ends */
  retryAfter: number
}

/**
 * Counts hits in the current window of each bucket and reads the totals back, in one statement
 * on the UNLOGGED table (no WAL flush). Rows are locked in bucket order, so two such statements
 * never deadlock; the upsert's row lock keeps concurrent counts of one bucket in order, until the
 * statement's transaction ends. Every bucket must be named once.
 */
export async function countBucketHits(sql: Sql, hits: BucketHits[]): Promise<BucketTotal[]> {
  return sql<BucketTotal[]>`
    with t as (
      select b, n, back
      from unnest(${hits.map((h) => h.bucket)}::text[], ${hits.map((h) => h.count)}::int[],
                  ${hits.map((h) => h.lookbackSeconds)}::int[]) as t(b, n, back)
    ),
    up as (
      insert into rate_limit_hits (bucket, window_start, hits)
      select b, to_timestamp(floor(extract(epoch from now()) / w) * w), n
      from (select b, n, split_part(b, ':', 4)::int as w from t) x
      order by b
      on conflict (bucket, window_start) do update set hits = rate_limit_hits.hits + excluded.hits
      returning bucket, window_start, hits
    )
    select up.bucket, up.hits,
      (up.hits + case when t.back > 0 then coalesce((
        select sum(r.hits) from rate_limit_hits r
        where r.bucket = up.bucket
          and r.window_start < up.window_start
          and r.window_start >= up.window_start - make_interval(secs => t.back)
      ), 0) else 0 end)::int as recent,
      ceil(extract(epoch from up.window_start) + split_part(up.bucket, ':', 4)::int
           - extract(epoch from now()))::int as retry_after
    from up join t on t.b = up.bucket`
}

export async function deleteExpiredRateLimitWindows(sql: Sql): Promise<number> {
  const rows = await sql`
    delete from rate_limit_hits where window_start < now() - interval '2 days' returning 1`
  return rows.length
}

export type HeldSignature = {
  id: string
  campaignSlug: string
  displayName: string | null
  email: string
  comment: string | null
  flagReason: string | null
  createdAt: Date
}

export async function listHeldSignatures(sql: Sql, limit = 200): Promise<HeldSignature[]> {
  return sql<HeldSignature[]>`
    select s.id::text, c.slug as campaign_slug,
           s.display_name, p.email, s.comment, s.flag_reason, s.created_at
    from signatures s
    join campaigns c on c.id = s.campaign_id
    join supporters p on p.id = s.supporter_id
    where s.held
    order by s.created_at desc
    limit ${limit}`
}

export async function countHeldSignatures(sql: Sql): Promise<number> {
  const [row] = await sql<{ heldTotal: number }[]>`
    select count(*)::int as held_total from signatures where held`
  return row.heldTotal
}

/**
 * Releases (into counts, and its letters into delivery) or deletes a held signature; undefined
 * when not held. Deleting leaves its letters held: cancel their deliveries first
 * (cancelDeliveriesOfHeldSignature, same transaction).
 */
export async function decideHeldSignature(
  sql: Sql,
  signatureId: string,
  decision: 'release' | 'delete',
): Promise<{ flagReason: string | null } | undefined> {
  const [row] =
    decision === 'release'
      ? await sql<{ flagReason: string | null }[]>`
          with released as (
            update signatures set held = false where id = ${signatureId} and held
            returning id, flag_reason, campaign_id, supporter_id
          ), letters_released as (
            -- its letters are held by their own state: released with it
            update letters l set held = false
            from released where l.signature_id = released.id and l.held
            returning l.id, l.campaign_id, l.supporter_id, l.signature_id
          ), letter_hook as (${enqueueWebhookFrom(sql, 'letter.created', {
            from: sql`letters_released`,
            data: sql`jsonb_build_object('letter_id', letters_released.id,
                                         'campaign_id', letters_released.campaign_id,
                                         'person_id', letters_released.supporter_id,
                                         'signature_id', letters_released.signature_id::text)`,
          })}), hook as (${enqueueWebhookFrom(sql, 'signature.created', {
            from: sql`released`,
            data: sql`jsonb_build_object('signature_id', released.id::text,
                                         'campaign_id', released.campaign_id,
                                         'person_id', released.supporter_id)`,
          })})
          select flag_reason from released`
      : await sql<{ flagReason: string | null }[]>`
          delete from signatures where id = ${signatureId} and held returning flag_reason`
  return row
}

/** Idempotent: unsubscribing twice keeps the first time. False for an unknown id. */
export async function markUnsubscribed(sql: Sql, supporterId: string): Promise<boolean> {
  const rows = await sql`
    with old as (
      select id, unsubscribed_at from supporters where id = ${supporterId} for update
    ), u as (
      update supporters p
      set unsubscribed_at = coalesce(p.unsubscribed_at, now()), list_opt_in = false,
          updated_at = now()
      from old where p.id = old.id
      returning p.id, old.unsubscribed_at is null as first_time
    ), hook as (${enqueueWebhookFrom(sql, 'supporter.unsubscribed', {
      from: sql`u`,
      where: sql`u.first_time`,
      data: sql`jsonb_build_object('person_id', u.id)`,
    })})
    select id from u`
  return rows.length > 0
}

export type ListRecipient = { supporterId: string; email: string; locale: string }

/** A campaign's signers who opted in to list email and never unsubscribed or were erased. */
export async function listListRecipients(sql: Sql, campaignId: string): Promise<ListRecipient[]> {
  return sql<ListRecipient[]>`
    select s.id as supporter_id, s.email, s.locale
    from signatures g
    join supporters s on s.id = g.supporter_id
    where g.campaign_id = ${campaignId}
      and ${listMailable(sql, sql`s`)}
      and not g.held`
}
