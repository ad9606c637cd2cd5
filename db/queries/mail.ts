import type postgres from 'postgres'
import type { Sql } from '../client'
import { insertFrom } from './insert-from'

export type EmailKind = 'transactional' | 'list'

/** One row of the outbox, as every writer stores it. Built by outboxEmail (app/mail). */
export type OutboxEmail = {
  kind: EmailKind
  template: string
  toAddress: string
  fromAddress: string
  replyTo: string | null
  subject: string
  html: string
  textBody: string
  headers: Record<string, string>
  /** Computed by the caller; the unique key that makes queuing idempotent. */
  messageId: string
  supporterId: string | null
  /** 'local': a letter held in the local outbox when no SMTP server is configured (ADR 0300). */
  status: 'queued' | 'local'
  /**
   * Mail counted against its recipient's daily cap (ADR 0813): `key` identifies the mailbox, and
   * the email is not queued when `max` emails with that key were queued in the last 24 hours.
   * Null for mail that is never capped (receipts, letters, list mail).
   */
  dailyCap: { key: string; max: number } | null
}

// The one mapping from an email to the outbox's columns, for both statements below.
function outboxColumns(
  sql: Sql,
  email: Omit<OutboxEmail, 'supporterId'>,
  supporterId: string | null | postgres.Fragment,
) {
  const recipientKey = email.dailyCap?.key ?? null
  return {
    kind: email.kind,
    template: email.template,
    toAddress: email.toAddress,
    fromAddress: email.fromAddress,
    replyTo: email.replyTo,
    subject: email.subject,
    html: email.html,
    textBody: email.textBody,
    headers: sql.json(email.headers),
    messageId: email.messageId,
    supporterId,
    status: email.status,
    recipientKey,
  }
}

/** The condition under which a capped email may be queued: its mailbox is under the cap. */
function underDailyCap(sql: Sql, email: Pick<OutboxEmail, 'dailyCap'>): postgres.Fragment {
  if (!email.dailyCap) return sql`true`
  return sql`(
    select count(*) from outbound_emails o
    where o.recipient_key = ${email.dailyCap.key} and o.created_at > now() - interval '24 hours'
  ) < ${email.dailyCap.max}`
}

/**
 * Queues an email. The same Message-ID twice queues it once; a capped email over its recipient's
 * daily cap is not queued. True when it was queued now.
 */
export async function enqueueEmail(sql: Sql, email: OutboxEmail): Promise<boolean> {
  const row = outboxColumns(sql, email, email.supporterId)
  const queued = await sql`
    ${insertFrom(sql, 'outbound_emails', row, sql`(values (1)) as one (x) where ${underDailyCap(sql, email)}`)}
    on conflict (message_id) do nothing`
  return queued.count > 0
}

/**
 * enqueueEmail as the body of a data-modifying CTE: the email is queued once per row of `from`
 * (none when it is empty, or when `where` or the recipient's daily cap refuses it), for the
 * supporter in that row. Lets a statement that writes several
 * things queue its email without another round trip (the sign path, ADR 0700).
 */
export function enqueueEmailFrom(
  sql: Sql,
  email: Omit<OutboxEmail, 'supporterId'>,
  source: { from: postgres.Fragment; where?: postgres.Fragment; supporterId: postgres.Fragment },
): postgres.Fragment {
  const row = outboxColumns(sql, email, source.supporterId)
  const cap = underDailyCap(sql, email)
  const from = sql`${source.from} where ${source.where ?? sql`true`} and ${cap}`
  return sql`
    ${insertFrom(sql, 'outbound_emails', row, from)}
    on conflict (message_id) do nothing`
}

export type ClaimedEmail = Omit<OutboxEmail, 'supporterId' | 'status'> & {
  id: number
  attempts: number
  supporterUnsubscribed: boolean
}

/**
 * Claims due emails for sending: queued ones whose time has come, and ones left `sending` longer
 * than the lease (their worker presumably died).
 */
export async function claimDueEmails(
  sql: Sql,
  { batchSize, lease }: { batchSize: number; lease: string },
): Promise<ClaimedEmail[]> {
  return sql<ClaimedEmail[]>`
    with due as (
      select id from outbound_emails
      where (status = 'queued' and next_attempt_at <= now())
         or (status = 'sending' and locked_at < now() - ${lease}::interval)
      order by id
      for update skip locked
      limit ${batchSize}
    )
    update outbound_emails e
    set status = 'sending', locked_at = now(), attempts = e.attempts + 1
    from due
    where e.id = due.id
    returning e.id, e.kind, e.to_address, e.from_address, e.reply_to, e.subject, e.html, e.text_body,
      e.headers, e.message_id, e.attempts,
      coalesce((select s.unsubscribed_at is not null from supporters s where s.id = e.supporter_id), false)
        as supporter_unsubscribed
  `
}

export async function markEmailSuppressed(sql: Sql, id: number): Promise<void> {
  await sql`update outbound_emails set status = 'suppressed', locked_at = null where id = ${id}`
}

/** No SMTP server: the email stays in Postgres as the local outbox. */
export async function markEmailLocal(sql: Sql, id: number): Promise<void> {
  await sql`
    update outbound_emails set status = 'local', locked_at = null, sent_at = now()
    where id = ${id}`
}

export async function markEmailSent(sql: Sql, id: number, smtpResponse: string | null) {
  await sql`
    update outbound_emails
    set status = 'sent', sent_at = now(), locked_at = null, smtp_response = ${smtpResponse},
        last_error = null
    where id = ${id}`
}

/** A failed attempt: retried after `retryInSeconds` unless it is permanent. */
export async function markEmailFailed(
  sql: Sql,
  id: number,
  failure: { permanent: boolean; error: string; retryInSeconds: number },
) {
  await sql`
    update outbound_emails
    set status = ${failure.permanent ? 'failed' : 'queued'},
        locked_at = null,
        last_error = ${failure.error},
        next_attempt_at = now() + make_interval(secs => ${failure.retryInSeconds})
    where id = ${id}`
}

/** Stops the list email already queued for a supporter who unsubscribed. */
export async function suppressQueuedListEmails(sql: Sql, supporterId: string): Promise<void> {
  await sql`
    update outbound_emails set status = 'suppressed'
    where supporter_id = ${supporterId} and kind = 'list' and status = 'queued'`
}
