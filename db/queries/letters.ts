import type { TargetConfig } from './campaigns'
import type { Sql } from '../client'
import { enqueueWebhookFrom } from './webhooks'

export type NewLetter = {
  id: string
  campaignId: string
  supporterId: string
  signatureId: number | null
  statusTokenHash: Buffer
  prefix: string
  firstName: string
  lastName: string
  email: string
  street: string
  city: string
  state: string
  zip: string
  subject: string
  body: string
  edited: boolean
  locale: string
  /** held for review with its signature: its deliveries wait for an organizer's release */
  held: boolean
  /** the campaign sends only confirmed writers' letters: its deliveries wait for the confirmation */
  awaitingConfirmation: boolean
}

export async function insertLetter(
  sql: Sql,
  letter: NewLetter,
): Promise<{ id: string; createdAt: Date }> {
  const [row] = await sql<{ id: string; createdAt: Date }[]>`
    with l as (
      insert into letters ${sql(letter)}
      returning id, created_at, campaign_id, supporter_id, signature_id, held
    ), hook as (${enqueueWebhookFrom(sql, 'letter.created', {
      // a held letter is announced with its signature's release, never while held
      from: sql`l`,
      where: sql`not l.held`,
      data: sql`jsonb_build_object('letter_id', l.id, 'campaign_id', l.campaign_id,
                                   'person_id', l.supporter_id,
                                   'signature_id', l.signature_id::text)`,
    })})
    select id, created_at from l`
  return row!
}

export type LetterRecord = {
  id: string
  campaignId: string
  supporterId: string
  prefix: string | null
  firstName: string | null
  lastName: string | null
  email: string | null
  city: string | null
  state: string | null
  /** null once erased or purged (docs/decisions/0812-erasure-and-retention.md) */
  subject: string | null
  body: string | null
  locale: string
  receiptSentAt: Date | null
  createdAt: Date
  campaignSlug: string
  erasedAt: Date | null
  textPurgedAt: Date | null
  /** the writer has used a confirmation link (proved this is their address) */
  emailConfirmed: boolean
  /** its deliveries wait for the writer's confirmation (migration 0081) */
  awaitingConfirmation: boolean
}

const letterColumns = (sql: Sql) => sql`
  l.id, l.campaign_id, l.supporter_id, l.prefix, l.first_name, l.last_name, l.email, l.city,
  l.state, l.subject, l.body, l.locale, l.receipt_sent_at, l.created_at, c.slug as campaign_slug,
  l.erased_at, l.text_purged_at,
  l.awaiting_confirmation,
  exists (select 1 from signatures cs
          where cs.supporter_id = l.supporter_id and cs.confirmed_at is not null) as email_confirmed`

export async function findLetterByTokenHash(
  sql: Sql,
  hash: Buffer,
): Promise<LetterRecord | undefined> {
  const [row] = await sql<LetterRecord[]>`
    select ${letterColumns(sql)}
    from letters l join campaigns c on c.id = l.campaign_id
    where l.status_token_hash = ${hash}`
  return row
}

/** The sha256 of the letter's status link (null once erased). */
export async function findLetterStatusTokenHash(
  sql: Sql,
  letterId: string,
): Promise<Buffer | null> {
  const [row] = await sql<{ statusTokenHash: Buffer | null }[]>`
    select status_token_hash from letters where id = ${letterId}`
  return row?.statusTokenHash ?? null
}

/**
 * Marks the receipt as sent, only if it was not and every delivery has a final status. Run it
 * in the transaction that queues the receipt email, so the email exists exactly once.
 */
export async function claimLetterReceipt(
  sql: Sql,
  letterId: string,
): Promise<LetterRecord | undefined> {
  const [row] = await sql<LetterRecord[]>`
    with claimed as (
      update letters l set receipt_sent_at = now()
      where l.id = ${letterId} and l.receipt_sent_at is null
        and exists (select 1 from deliveries d where d.letter_id = l.id)
        and not exists (
          select 1 from deliveries d where d.letter_id = l.id and d.status in ('queued', 'sending'))
        -- a letter cancelled everywhere (deleted in review, never confirmed) gets no receipt
        and exists (select 1 from deliveries d where d.letter_id = l.id and d.status <> 'cancelled')
      returning l.*
    )
    select ${letterColumns(sql)} from claimed l join campaigns c on c.id = l.campaign_id`
  return row
}

/** Letters still owed a receipt whose deliveries have all reached a final status. */
export async function listLettersReadyForReceipt(sql: Sql, limit: number): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select l.id from letters l
    where l.receipt_sent_at is null
      and exists (select 1 from deliveries d where d.letter_id = l.id)
      and not exists (
        select 1 from deliveries d where d.letter_id = l.id and d.status in ('queued', 'sending'))
      and exists (select 1 from deliveries d where d.letter_id = l.id and d.status <> 'cancelled')
    order by l.created_at
    limit ${limit}`
  return rows.map((r) => r.id)
}

export type LetterCampaignRow = {
  id: string
  slug: string
  status: 'draft' | 'live' | 'closed'
  kind: 'petition' | 'letter'
  letterEditable: boolean
  letterMaxLength: number
  letterRequiresConfirmation: boolean
  cwcTopic: string | null
  bill: { congress: number; type: string; number: number; title?: string } | null
  targetConfig: TargetConfig
  locale: string
  letterSubject: string | null
  letterBody: string | null
  /** the organization's letter to named officials, and the thank-you letter (ADR 0904) */
  officialsSubject: string | null
  officialsBody: string | null
  thanksSubject: string | null
  thanksBody: string | null
}

/** A letter campaign with its suggested letter in `locale` (falling back to the default locale). */
export async function findLetterCampaign(
  sql: Sql,
  slug: string,
  locale: string,
): Promise<LetterCampaignRow | undefined> {
  const [row] = await sql<LetterCampaignRow[]>`
    select c.id, c.slug, c.status, c.kind, c.letter_editable, c.letter_max_length,
      c.letter_requires_confirmation, c.cwc_topic,
      c.bill, c.target_config,
      coalesce(l.locale, d.locale) as locale,
      coalesce(l.letter_subject, d.letter_subject) as letter_subject,
      coalesce(l.letter_body, d.letter_body) as letter_body,
      coalesce(l.officials_subject, d.officials_subject) as officials_subject,
      coalesce(l.officials_body, d.officials_body) as officials_body,
      coalesce(l.thanks_subject, d.thanks_subject) as thanks_subject,
      coalesce(l.thanks_body, d.thanks_body) as thanks_body
    from campaigns c
    join campaign_copy d on d.campaign_id = c.id and d.locale = c.default_locale
    left join campaign_copy l on l.campaign_id = c.id and l.locale = ${locale}
    where c.slug = ${slug} and c.kind = 'letter'`
  return row
}

export async function listCustomTargets(sql: Sql, campaignId: string) {
  return sql<
    {
      id: string
      name: string
      title: string
      channel: 'email' | 'packet'
      email: string | null
      salutation: string | null
    }[]
  >`
    select id, name, title, channel, email, salutation from custom_targets
    where campaign_id = ${campaignId} order by position, name`
}

/** Whether this supporter has ever confirmed their email (used a confirmation link). */
export async function supporterEmailConfirmed(sql: Sql, supporterId: string): Promise<boolean> {
  const [row] = await sql<{ confirmed: boolean }[]>`
    select exists (
      select 1 from signatures where supporter_id = ${supporterId} and confirmed_at is not null
    ) as confirmed`
  return row!.confirmed
}

/**
 * The writer confirmed their email: their letters waiting for it go out (their deliveries become
 * claimable). Run it in the transaction that redeems the confirmation token. Returns the letters.
 */
export async function releaseLettersAwaitingConfirmation(
  sql: Sql,
  supporterId: string,
): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    update letters set awaiting_confirmation = false
    where supporter_id = ${supporterId} and awaiting_confirmation
    returning id`
  return rows.map((r) => r.id)
}
