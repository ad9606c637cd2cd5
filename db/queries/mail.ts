import type postgres from 'postgres'
import type { Sql } from '../client'
import { insertFrom, type Exprs } from './insert-from'

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

/**
 * An email queued once per row of a statement's `from` (enqueueEmailFrom): each field is a value
 * or an expression over that row, and `headers` is ready for SQL (sql.json, or a jsonb
 * expression).
 */
export type OutboxEmailFrom = Exprs<Omit<OutboxEmail, 'supporterId' | 'dailyCap' | 'headers'>> & {
  headers: postgres.Fragment | postgres.Parameter
  /** A null `key` (in that row) means the email is not capped. */
  dailyCap: Exprs<NonNullable<OutboxEmail['dailyCap']>> | null
}

function withSqlHeaders(sql: Sql, email: Omit<OutboxEmail, 'supporterId'>): OutboxEmailFrom {
  return { ...email, headers: sql.json(email.headers) }
}

// The one mapping from an email to the outbox's columns, for both statements below.
function outboxColumns(email: OutboxEmailFrom, supporterId: string | null | postgres.Fragment) {
  return {
    kind: email.kind,
    template: email.template,
    toAddress: email.toAddress,
    fromAddress: email.fromAddress,
    replyTo: email.replyTo,
    subject: email.subject,
    html: email.html,
    textBody: email.textBody,
    headers: email.headers,
    messageId: email.messageId,
    supporterId,
    status: email.status,
    recipientKey: email.dailyCap?.key ?? null,
  }
}

/** The condition under which a capped email may be queued: its mailbox is under the cap. */
function underDailyCap(sql: Sql, cap: OutboxEmailFrom['dailyCap']): postgres.Fragment {
  if (!cap) return sql`true`
  return sql`(${cap.key}::text is null or (
    select count(*) from outbound_emails o
    where o.recipient_key = ${cap.key} and o.created_at > now() - interval '24 hours'
  ) < ${cap.max})`
}

/**
 * Queues an email. The same Message-ID twice queues it once; a capped email over its recipient's
 * daily cap is not queued. True when it was queued now.
 */
export async function enqueueEmail(sql: Sql, email: OutboxEmail): Promise<boolean> {
  const row = outboxColumns(withSqlHeaders(sql, email), email.supporterId)
  const queued = await sql`
    ${insertFrom(sql, 'outbound_emails', row, sql`(values (1)) as one (x) where ${underDailyCap(sql, email.dailyCap)}`)}
    on conflict (message_id) do nothing`
  return queued.count > 0
}

/**
 * enqueueEmail as the body of a data-modifying CTE: the email is queued once per row of `from`
 * (none when it is empty, or when `where` or the recipient's daily cap refuses it), for the
 * supporter in that row. Lets a statement that writes several things queue its email without
 * another round trip (the sign path, ADR 0700); its fields may be expressions over the row, for
 * a statement that queues many different emails (group commit, ADR 1302).
 */
export function enqueueEmailFrom(
  sql: Sql,
  email: OutboxEmailFrom,
  source: { from: postgres.Fragment; where?: postgres.Fragment; supporterId: postgres.Fragment },
): postgres.Fragment {
  const row = outboxColumns(email, source.supporterId)
  const cap = underDailyCap(sql, email.dailyCap)
  const rows = sql`${source.from} where ${source.where ?? sql`true`} and ${cap}`
  return sql`
    ${insertFrom(sql, 'outbound_emails', row, rows)}
    on conflict (message_id) do nothing`
}

/**
 * Who may get list mail (mailings, ladder follow-ups, petition delivery updates), as a condition on
 * a `supporters` row `s`: opted in, never unsubscribed, not erased, and no hard bounce (a 5xx from
 * the relay). The one definition: audience queries select with it, and the sender checks it again
 * when it claims a list email, so a supporter who leaves after queuing still gets nothing.
 */
export function listMailable(sql: Sql, s: postgres.Fragment): postgres.Fragment {
  return sql`(${s}.list_opt_in and ${s}.unsubscribed_at is null and ${s}.erased_at is null
    and ${s}.email is not null and ${s}.hard_bounced_at is null)`
}

/**
 * A permanent failure (5xx) for an address: the supporter with that address gets no more list
 * mail. True when a supporter was marked now.
 */
export async function markAddressHardBounced(sql: Sql, address: string): Promise<boolean> {
  const done = await sql`
    update supporters set hard_bounced_at = now(), updated_at = now()
    where email = ${address.trim().toLowerCase()} and hard_bounced_at is null`
  return done.count > 0
}

export type ClaimedEmail = Omit<OutboxEmail, 'supporterId' | 'status' | 'dailyCap'> & {
  id: number
  attempts: number
  /** For list mail: the supporter may no longer get it (listMailable is false). */
  supporterUnsubscribed: boolean
  /** This claim's lease: the final update of the row must present it (the fence). */
  lockedBy: string
}

/** When the outbox gives up on an email (ADR 0813). */
export type OutboxLimits = { maxAttempts: number; maxAgeHours: number }

/** The outbox row one claim holds: its final update applies only while the lease is still this. */
export type EmailLease = Pick<ClaimedEmail, 'id' | 'lockedBy'>

/**
 * Claims due emails for sending under the lease `lockedBy`: queued ones whose time has come, and
 * ones left `sending` longer than the lease (their worker presumably died). A due row that has
 * used up its attempts, or that was tried and is older than the maximum age, ends `failed` here
 * instead, with the reason (a worker that died on the last attempt leaves such a row).
 */
export async function claimDueEmails(
  sql: Sql,
  {
    batchSize,
    lease,
    lockedBy,
    limits,
  }: { batchSize: number; lease: string; lockedBy: string; limits: OutboxLimits },
): Promise<ClaimedEmail[]> {
  const due = sql`(
    (status = 'queued' and next_attempt_at <= now())
    or (status = 'sending' and locked_at < now() - ${lease}::interval))`
  const exhausted = sql`(
    attempts >= ${limits.maxAttempts}
    or (attempts > 0 and created_at < now() - make_interval(hours => ${limits.maxAgeHours})))`
  return sql<ClaimedEmail[]>`
    with gone as (
      select id from outbound_emails
      where ${due} and ${exhausted}
      order by id
      for update skip locked
      limit ${batchSize}
    ),
    given_up as (
      update outbound_emails e
      set status = 'failed', failed_at = now(), locked_at = null, locked_by = null,
          last_error = ${givenUpReason(sql, limits, sql`e.last_error`)}
      from gone
      where e.id = gone.id
    ),
    claim as (
      select id from outbound_emails
      where ${due} and not ${exhausted}
      order by id
      for update skip locked
      limit ${batchSize}
    )
    update outbound_emails e
    set status = 'sending', locked_at = now(), locked_by = ${lockedBy}, attempts = e.attempts + 1
    from claim
    where e.id = claim.id
    returning e.id, e.kind, e.template, e.to_address, e.from_address, e.reply_to, e.subject, e.html,
      e.text_body, e.headers, e.message_id, e.attempts, e.locked_by,
      coalesce((select not ${listMailable(sql, sql`s`)} from supporters s where s.id = e.supporter_id), false)
        as supporter_unsubscribed
  `
}

/** Why the outbox gave up on a row (`e`), in front of its last error. */
function givenUpReason(sql: Sql, limits: OutboxLimits, lastError: postgres.Fragment) {
  return sql`
    case when e.attempts >= ${limits.maxAttempts}
      then 'Gave up after ' || e.attempts || ' attempts'
      else 'Gave up after ' || ${limits.maxAgeHours}::int || ' hours'
    end || coalesce(': ' || ${lastError}, '')`
}

// The final updates below apply only while the row is `sending` under this claim's lease: a worker
// whose lease expired and was taken over changes nothing (they return false then).

export async function markEmailSuppressed(sql: Sql, lease: EmailLease): Promise<boolean> {
  const done = await sql`
    update outbound_emails set status = 'suppressed', locked_at = null, locked_by = null
    where id = ${lease.id} and status = 'sending' and locked_by = ${lease.lockedBy}`
  return done.count > 0
}

/** No SMTP server: the email stays in Postgres as the local outbox. */
export async function markEmailLocal(sql: Sql, lease: EmailLease): Promise<boolean> {
  const done = await sql`
    update outbound_emails set status = 'local', locked_at = null, locked_by = null, sent_at = now()
    where id = ${lease.id} and status = 'sending' and locked_by = ${lease.lockedBy}`
  return done.count > 0
}

export async function markEmailSent(
  sql: Sql,
  lease: EmailLease,
  smtpResponse: string | null,
): Promise<boolean> {
  const done = await sql`
    update outbound_emails
    set status = 'sent', sent_at = now(), locked_at = null, locked_by = null,
        smtp_response = ${smtpResponse}, last_error = null
    where id = ${lease.id} and status = 'sending' and locked_by = ${lease.lockedBy}`
  return done.count > 0
}

/**
 * A failed attempt: retried after `retryInSeconds`, unless the error is permanent or the row has
 * reached the outbox's limits; then it ends `failed` with the reason.
 */
export async function markEmailFailed(
  sql: Sql,
  lease: EmailLease,
  failure: { permanent: boolean; error: string; retryInSeconds: number },
  limits: OutboxLimits,
): Promise<boolean> {
  const done = await sql`
    update outbound_emails e
    set status = case when v.final then 'failed' else 'queued' end,
        failed_at = case when v.final then now() end,
        locked_at = null,
        locked_by = null,
        last_error = case when v.final and not ${failure.permanent}
                       then ${givenUpReason(sql, limits, sql`${failure.error}::text`)}
                       else ${failure.error} end,
        next_attempt_at = now() + make_interval(secs => ${failure.retryInSeconds})
    from (
      select ${failure.permanent}
          or attempts >= ${limits.maxAttempts}
          or created_at < now() - make_interval(hours => ${limits.maxAgeHours}) as final
      from outbound_emails where id = ${lease.id}
    ) v
    where e.id = ${lease.id} and e.status = 'sending' and e.locked_by = ${lease.lockedBy}`
  return done.count > 0
}

export type FailedEmail = {
  template: string
  /** the part after the last @ (the full address is not read) */
  recipientDomain: string
  reason: string | null
  failedAt: Date
}

/** The latest emails that ended `failed`, newest first. */
export async function listFailedEmails(sql: Sql, limit: number): Promise<FailedEmail[]> {
  return sql<FailedEmail[]>`
    select template,
           lower(rtrim(substring(to_address from '@([^@]*)$'), '> ')) as recipient_domain,
           last_error as reason, coalesce(failed_at, created_at) as failed_at
    from outbound_emails
    where status = 'failed'
    order by failed_at desc nulls last, id desc
    limit ${limit}`
}

/** Stops the list email already queued for a supporter who unsubscribed. */
export async function suppressQueuedListEmails(sql: Sql, supporterId: string): Promise<void> {
  await sql`
    update outbound_emails set status = 'suppressed'
    where supporter_id = ${supporterId} and kind = 'list' and status = 'queued'`
}
