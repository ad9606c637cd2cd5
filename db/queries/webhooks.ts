import type postgres from 'postgres'
import type { Sql } from '../client'

// The webhook outbox (docs/decisions/1001-webhooks.md). Every event is written in the same
// transaction (usually the same statement) as the change that caused it, one row per subscribed
// endpoint; none when no endpoint subscribes.

export const WEBHOOK_EVENT_TYPES = [
  'signature.created',
  'signature.confirmed',
  'letter.created',
  'delivery.updated',
  'donation.succeeded',
  'donation.refunded',
  'subscription.canceled',
  'supporter.unsubscribed',
  'supporter.erased',
] as const
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number]

const subscribed = (sql: Sql, type: WebhookEventType) =>
  sql`e.disabled_at is null and ${type}::text = any(e.events)`

/**
 * enqueueWebhook as the body of a data-modifying CTE: one message per row of `from` (filtered by
 * `where`) and endpoint subscribed to `type`, with `data` (a jsonb expression over that row).
 */
export function enqueueWebhookFrom(
  sql: Sql,
  type: WebhookEventType,
  source: { from: postgres.Fragment; where?: postgres.Fragment; data: postgres.Fragment },
): postgres.Fragment {
  return sql`
    insert into webhook_messages (endpoint_id, event_type, data)
    select e.id, ${type}, ${source.data}
    from ${source.from} cross join webhook_endpoints e
    where ${source.where ?? sql`true`} and ${subscribed(sql, type)}`
}

/** Queues one event for every subscribed endpoint. Inside the caller's transaction. */
export async function enqueueWebhook(
  sql: Sql,
  type: WebhookEventType,
  data: Record<string, unknown>,
): Promise<void> {
  await sql`
    insert into webhook_messages (endpoint_id, event_type, data)
    select e.id, ${type}, ${sql.json(data as postgres.JSONValue)}
    from webhook_endpoints e where ${subscribed(sql, type)}`
}

// Endpoints -----------------------------------------------------------------------------------

export type WebhookEndpoint = {
  id: string
  url: string
  description: string
  events: string[]
  createdAt: Date
  disabledAt: Date | null
  disabledReason: string | null
  previousSecretExpiresAt: Date | null
}

export type EndpointSecrets = {
  id: string
  url: string
  secretEncrypted: Buffer
  previousSecretEncrypted: Buffer | null
  previousSecretExpiresAt: Date | null
}

export async function insertWebhookEndpoint(
  sql: Sql,
  e: {
    id: string
    url: string
    description: string
    events: string[]
    secretEncrypted: Buffer
    createdBy: string | null
  },
): Promise<void> {
  await sql`insert into webhook_endpoints ${sql(e)}`
}

export async function listWebhookEndpoints(sql: Sql): Promise<WebhookEndpoint[]> {
  return sql<WebhookEndpoint[]>`
    select id, url, description, events, created_at, disabled_at, disabled_reason,
           case when previous_secret_expires_at > now() then previous_secret_expires_at end
             as previous_secret_expires_at
    from webhook_endpoints order by created_at`
}

export async function findEndpointSecrets(
  sql: Sql,
  id: string,
): Promise<EndpointSecrets | undefined> {
  const [row] = await sql<EndpointSecrets[]>`
    select id, url, secret_encrypted,
           case when previous_secret_expires_at > now() then previous_secret_encrypted end
             as previous_secret_encrypted,
           previous_secret_expires_at
    from webhook_endpoints where id = ${id}`
  return row
}

/** The new secret signs from now on; the current one keeps signing too until `overlapHours`. */
export async function rotateEndpointSecret(
  sql: Sql,
  id: string,
  secretEncrypted: Buffer,
  overlapHours: number,
): Promise<string | undefined> {
  const [row] = await sql<{ url: string }[]>`
    update webhook_endpoints set
      previous_secret_encrypted = secret_encrypted,
      previous_secret_expires_at = now() + make_interval(hours => ${overlapHours}),
      secret_encrypted = ${secretEncrypted}
    where id = ${id} returning url`
  return row?.url
}

export async function setEndpointEnabled(
  sql: Sql,
  id: string,
  enabled: boolean,
  reason: string | null,
): Promise<boolean> {
  const rows = enabled
    ? await sql`
        update webhook_endpoints set disabled_at = null, disabled_reason = null
        where id = ${id} returning id`
    : await sql`
        update webhook_endpoints set disabled_at = coalesce(disabled_at, now()),
          disabled_reason = coalesce(disabled_reason, ${reason})
        where id = ${id} returning id`
  return rows.length > 0
}

export async function deleteWebhookEndpoint(sql: Sql, id: string): Promise<boolean> {
  const rows = await sql`delete from webhook_endpoints where id = ${id} returning id`
  return rows.length > 0
}

/** Endpoints turned off because their retries ran out: the dashboard's notice. */
export async function listDisabledEndpoints(sql: Sql) {
  return sql<{ id: string; url: string; disabledAt: Date; disabledReason: string | null }[]>`
    select e.id, e.url, e.disabled_at, e.disabled_reason from webhook_endpoints e
    where e.disabled_at is not null
      -- turned off by the worker (its messages failed), not by an owner on purpose
      and exists (select 1 from webhook_messages m where m.endpoint_id = e.id and m.status = 'failed')
    order by e.disabled_at desc`
}

// Messages and attempts -----------------------------------------------------------------------

export type ClaimedWebhook = {
  id: string
  msgId: string
  endpointId: string
  eventType: string
  /** the payload's data as stored (text: the client's camelCase transform must not touch it) */
  dataJson: string
  attempts: number
  createdAt: Date
  /** this claim's lease: the attempt's outcome is recorded only while it holds */
  lockedBy: string
}

/**
 * Claims due messages of enabled endpoints, and ones left `sending` longer than the lease (their
 * worker died): oldest due first, skip-locked so that several workers share the queue.
 */
export async function claimDueWebhooks(
  sql: Sql,
  {
    batchSize,
    leaseSeconds,
    lockedBy,
  }: { batchSize: number; leaseSeconds: number; lockedBy: string },
): Promise<ClaimedWebhook[]> {
  return sql<ClaimedWebhook[]>`
    with due as (
      select m.id from webhook_messages m
      join webhook_endpoints e on e.id = m.endpoint_id and e.disabled_at is null
      where (m.status = 'queued' and m.next_attempt_at <= now())
         or (m.status = 'sending' and m.locked_at < now() - make_interval(secs => ${leaseSeconds}))
      order by m.next_attempt_at, m.id
      limit ${batchSize}
      for update of m skip locked
    )
    update webhook_messages m set status = 'sending', locked_by = ${lockedBy}, locked_at = now(),
      attempts = m.attempts + 1
    from due where m.id = due.id
    returning m.id::text, m.msg_id, m.endpoint_id, m.event_type, m.data::text as data_json,
      m.attempts, m.created_at, m.locked_by`
}

export type AttemptRecord = {
  statusCode: number | null
  latencyMs: number
  responseExcerpt: string | null
  error: string | null
}

/**
 * Records an attempt and its outcome in one statement: delivered; retried at `retryInSeconds`;
 * or, with retryInSeconds null, failed, and the endpoint disabled with `disableReason`. Applies
 * only while this claim's lease holds.
 */
export async function finishWebhookAttempt(
  sql: Sql,
  lease: { id: string; lockedBy: string; endpointId: string },
  attempt: AttemptRecord,
  outcome:
    | { kind: 'delivered' }
    | { kind: 'retry'; inSeconds: number }
    | { kind: 'failed'; disableReason: string },
): Promise<void> {
  const status =
    outcome.kind === 'delivered' ? 'delivered' : outcome.kind === 'retry' ? 'queued' : 'failed'
  const retryIn = outcome.kind === 'retry' ? outcome.inSeconds : 0
  const disableReason = outcome.kind === 'failed' ? outcome.disableReason : null
  await sql`
    with m as (
      update webhook_messages set status = ${status}, locked_by = null, locked_at = null,
        next_attempt_at = now() + make_interval(secs => ${retryIn}),
        delivered_at = case when ${status} = 'delivered' then now() end,
        failed_at = case when ${status} = 'failed' then now() end
      where id = ${lease.id} and locked_by = ${lease.lockedBy}
      returning id, endpoint_id
    ),
    a as (
      insert into webhook_attempts (message_id, endpoint_id, status_code, latency_ms,
                                    response_excerpt, error)
      select m.id, m.endpoint_id, ${attempt.statusCode}, ${attempt.latencyMs},
             ${attempt.responseExcerpt}, ${attempt.error}
      from m
    )
    update webhook_endpoints e set disabled_at = coalesce(e.disabled_at, now()),
      disabled_reason = coalesce(e.disabled_reason, ${disableReason})
    from m where e.id = m.endpoint_id and ${disableReason}::text is not null`
}

/** An endpoint's recent attempts, newest first, with their message's event. */
export async function listRecentAttempts(sql: Sql, endpointId: string, limit = 20) {
  return sql<
    {
      id: string
      messageId: string
      msgId: string
      eventType: string
      messageStatus: string
      statusCode: number | null
      latencyMs: number
      responseExcerpt: string | null
      error: string | null
      createdAt: Date
    }[]
  >`
    select a.id::text, m.id::text as message_id, m.msg_id, m.event_type,
           m.status as message_status, a.status_code, a.latency_ms, a.response_excerpt, a.error,
           a.created_at
    from webhook_attempts a join webhook_messages m on m.id = a.message_id
    where a.endpoint_id = ${endpointId}
    order by a.id desc limit ${limit}`
}

/** Sends a message again, with the same webhook-id (receivers dedupe on it). */
export async function requeueWebhookMessage(
  sql: Sql,
  endpointId: string,
  messageId: string,
): Promise<boolean> {
  const rows = await sql`
    update webhook_messages set status = 'queued', next_attempt_at = now(), attempts = 0,
      locked_by = null, locked_at = null, failed_at = null
    where id = ${messageId} and endpoint_id = ${endpointId} and status <> 'sending'
    returning id`
  return rows.length > 0
}

/** Delivered and failed messages (and their attempts) older than `days`: the outbox's retention. */
export async function deleteOldWebhookMessages(sql: Sql, days: number): Promise<number> {
  const rows = await sql`
    delete from webhook_messages
    where status in ('delivered', 'failed') and created_at < now() - make_interval(days => ${days})
    returning 1`
  return rows.length
}
