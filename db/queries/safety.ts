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

/**
 * Counts one hit in every (bucket, window) and reads the totals back, in one round trip. A
 * bucket's window length is its fourth `:`-separated part.
 */
export async function hitRateLimitWindows(
  sql: Sql,
  buckets: string[],
  windows: number[],
): Promise<Array<{ bucket: string; hits: number; retryAfter: number }>> {
  return sql<{ bucket: string; hits: number; retryAfter: number }[]>`
    insert into rate_limit_hits (bucket, window_start, hits)
    select b, to_timestamp(floor(extract(epoch from now()) / w) * w), 1
    from unnest(${buckets}::text[], ${windows}::int[]) as t(b, w)
    on conflict (bucket, window_start) do update set hits = rate_limit_hits.hits + 1
    returning bucket, hits,
      ceil(extract(epoch from window_start) + split_part(bucket, ':', 4)::int - extract(epoch from now()))::int
        as retry_after`
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

/**
 * Counts one signature from an IP hash and answers how many it has made in at least the last
 * `windowSeconds` (this one included). The count lives in the UNLOGGED rate_limit_hits table, in
 * sub-windows a tenth of the window long: the current one and the ten before it are summed, so
 * the span is between one and 1.1 windows (never less than the window). The upsert locks the
 * current sub-window's row until the statement's transaction ends, so concurrent signers from
 * one IP are counted one after the other and the threshold is exact; other IPs never wait.
 */
export async function countIpSignature(
  sql: Sql,
  { ipHash, windowSeconds }: { ipHash: string; windowSeconds: number },
): Promise<number> {
  const step = Math.max(1, Math.ceil(windowSeconds / 10))
  const bucket = `sign-burst:ip:${ipHash}:${step}`
  const [{ recent }] = await sql<{ recent: number }[]>`
    insert into rate_limit_hits (bucket, window_start, hits)
    values (${bucket}, to_timestamp(floor(extract(epoch from now()) / ${step}) * ${step}), 1)
    on conflict (bucket, window_start) do update set hits = rate_limit_hits.hits + 1
    returning (hits + coalesce((
      select sum(r.hits) from rate_limit_hits r
      where r.bucket = ${bucket}
        and r.window_start < rate_limit_hits.window_start
        and r.window_start >= rate_limit_hits.window_start - make_interval(secs => ${windowSeconds})
    ), 0))::int as recent`
  return recent
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
