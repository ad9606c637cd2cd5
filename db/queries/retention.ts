import type { Sql } from '../client'

// Forgetting after delivery (docs/decisions/0812-erasure-and-retention.md): letters' street
// addresses and texts, and sent mail's bodies, are purged after their retention periods.

/**
 * Letters whose every delivery ended (delivered, failed or cancelled) before `cutoff`, and whose
 * text is still held, locked for this transaction. A copy awaiting hand delivery is not ended: its
 * packet still needs the address and the letter.
 */
export async function lockLettersDueForPurge(
  sql: Sql,
  { cutoff, limit }: { cutoff: Date; limit: number },
): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select l.id from letters l
    where l.text_purged_at is null and l.erased_at is null
      and exists (select 1 from deliveries d where d.letter_id = l.id)
      and not exists (
        select 1 from deliveries d where d.letter_id = l.id
          and (d.status not in ('delivered', 'failed', 'cancelled')
               or d.finished_at is null or d.finished_at > ${cutoff}))
    order by l.created_at
    limit ${limit}
    for update of l skip locked`
  return rows.map((r) => r.id)
}

/**
 * Purges the letters' street address and every copy of their text: the letter, each office's
 * copy, the copies in the outbox (to offices, and the writer's receipt) and the writer's street
 * once none of their letters still holds its text. Keeps first name, last initial, city, state,
 * ZIP, and each office's status and evidence.
 */
export async function purgeLetterTexts(
  sql: Sql,
  { letterIds, receiptMessageIds }: { letterIds: string[]; receiptMessageIds: string[] },
): Promise<void> {
  if (letterIds.length === 0) return
  const purged = await sql<{ supporterId: string }[]>`
    update letters set prefix = null, email = null, street = null, subject = null, body = null,
      last_name = case when nullif(btrim(last_name), '') is null then null
                       else upper(left(btrim(last_name), 1)) || '.' end,
      text_purged_at = now()
    where id = any(${letterIds}::uuid[])
    returning supporter_id`
  const copies = await sql<{ messageId: string | null }[]>`
    update deliveries set subject = null, body = null
    where letter_id = any(${letterIds}::uuid[])
    returning message_id`
  const messageIds = [
    ...copies.flatMap((c) => (c.messageId ? [c.messageId] : [])),
    ...receiptMessageIds,
  ]
  await sql`
    update outbound_emails set subject = '', html = '', text_body = '', headers = '{}'::jsonb,
      from_address = coalesce(substring(from_address from '<([^>]+)>'), from_address),
      reply_to = case when supporter_id is null then null else reply_to end,
      body_purged_at = coalesce(body_purged_at, now())
    where message_id = any(${messageIds}::text[])
       or headers ->> 'X-Writ-Letter' = any(${letterIds}::text[])`
  const supporterIds = [...new Set(purged.map((p) => p.supporterId))]
  await sql`
    update supporters p set street = null, updated_at = now()
    where p.id = any(${supporterIds}::uuid[]) and p.street is not null
      and not exists (
        select 1 from letters l
        where l.supporter_id = p.id and l.text_purged_at is null and l.erased_at is null)`
}

/**
 * Mail sent (or ended) before `cutoff` keeps its metadata only: no subject, body or headers (no
 * live links), and no sender's name. Returns how many emails were purged.
 */
export async function purgeSentEmailBodies(
  sql: Sql,
  { cutoff, limit }: { cutoff: Date; limit: number },
): Promise<number> {
  const rows = await sql`
    update outbound_emails e set subject = '', html = '', text_body = '', headers = '{}'::jsonb,
      from_address = coalesce(substring(from_address from '<([^>]+)>'), from_address),
      reply_to = case when e.supporter_id is null and e.template = 'letter' then null else reply_to end,
      body_purged_at = now()
    where e.id in (
      select id from outbound_emails
      where body_purged_at is null and status in ('sent', 'local', 'failed', 'suppressed')
        and coalesce(sent_at, created_at) < ${cutoff}
      order by id
      limit ${limit}
      for update skip locked)
    returning 1`
  return rows.length
}

/** Single-use tokens that expired before `cutoff`: their links can do nothing any more. */
export async function deleteExpiredEmailTokens(sql: Sql, cutoff: Date): Promise<number> {
  const rows = await sql`delete from email_tokens where expires_at < ${cutoff} returning 1`
  return rows.length
}
