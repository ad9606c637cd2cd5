import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomUUID } from 'node:crypto'
import http from 'node:http'
import https from 'node:https'
import { getSql, type Db, type Sql } from '#db/client'
import {
  claimDueWebhooks,
  deleteOldWebhookMessages,
  deleteWebhookEndpoint,
  findEndpointSecrets,
  finishWebhookAttempt,
  insertWebhookEndpoint,
  listDisabledEndpoints,
  listRecentAttempts,
  listWebhookEndpoints,
  requeueWebhookMessage,
  rotateEndpointSecret,
  setEndpointEnabled,
  WEBHOOK_EVENT_TYPES,
  type ClaimedWebhook,
  type WebhookEventType,
} from '#db/queries/webhooks'
import { insertAudit } from '#db/queries/organizers'
import { getEnv } from '#app/utils/env.server'
import { keyFor, keysFor } from '#app/utils/keys.server'
import { WEBHOOK_EVENTS, type WebhookEvent } from './schema'
import { BlockedAddressError, checkUrlShape, checkWebhookUrl, guardedLookup } from './ssrf.server'

// Outgoing webhooks, signed per Standard Webhooks (https://www.standardwebhooks.com/): endpoints,
// their secrets, and the worker that delivers the outbox. See docs/decisions/1001-webhooks.md.

export { WEBHOOK_EVENT_TYPES, type WebhookEventType }

// The form's list and the outbox's list are the same events (a compile-time check).
const sameEvents: [WebhookEvent[], WebhookEventType[]] = [
  [...WEBHOOK_EVENT_TYPES],
  [...WEBHOOK_EVENTS],
]
void sameEvents

/** A delivery attempt is abandoned after this long. */
export const WEBHOOK_TIMEOUT_MS = 10_000
/** After a rotation the previous secret keeps signing this long. */
export const ROTATION_OVERLAP_HOURS = 24
const EXCERPT_CHARS = 200

// Secrets ---------------------------------------------------------------------------------------

/** `whsec_` and 24 random bytes in base64, as Standard Webhooks' libraries expect. */
function newSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`
}

const SECRET_FORMAT = 1

function encryptSecret(endpointId: string, secret: string): Buffer {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', keyFor('webhook-secret'), iv)
  cipher.setAAD(Buffer.from(endpointId))
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()])
  return Buffer.concat([Buffer.from([SECRET_FORMAT]), iv, cipher.getAuthTag(), body])
}

function decryptSecret(endpointId: string, blob: Buffer): string | null {
  if (blob[0] !== SECRET_FORMAT || blob.length < 1 + 12 + 16) return null
  for (const key of keysFor('webhook-secret')) {
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(1, 13))
      decipher.setAAD(Buffer.from(endpointId))
      decipher.setAuthTag(blob.subarray(13, 29))
      return Buffer.concat([decipher.update(blob.subarray(29)), decipher.final()]).toString('utf8')
    } catch {
      // not this key
    }
  }
  return null
}

/** The `webhook-signature` value: `v1,<base64 HMAC-SHA256 of id.timestamp.body>` per secret. */
export function signWebhook(
  secrets: string[],
  msgId: string,
  timestampSeconds: number,
  body: string,
): string {
  return secrets
    .map((secret) => {
      const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
      const mac = createHmac('sha256', key).update(`${msgId}.${timestampSeconds}.${body}`)
      return `v1,${mac.digest('base64')}`
    })
    .join(' ')
}

// Endpoints -------------------------------------------------------------------------------------

function urlPolicy() {
  const env = getEnv()
  return { production: env.NODE_ENV === 'production', allowPrivate: env.WEBHOOK_ALLOW_PRIVATE }
}

export type CreateEndpointInput = {
  url: string
  events: WebhookEventType[]
  description?: string
  /** the owner who added it; null on the command line */
  organizerId: string | null
}

export type CreateEndpointResult =
  | { kind: 'created'; id: string; secret: string }
  | {
      kind: 'refused-url'
      reason: 'invalid' | 'scheme' | 'credentials' | 'private' | 'unresolvable'
    }

/** Adds an endpoint after the SSRF checks; the secret is returned once and stored encrypted. */
export async function createWebhookEndpoint(
  input: CreateEndpointInput,
  sql: Db = getSql(),
): Promise<CreateEndpointResult> {
  const checked = await checkWebhookUrl(input.url, urlPolicy())
  if (!checked.ok) return { kind: 'refused-url', reason: checked.reason }
  const id = randomUUID()
  const secret = newSecret()
  await sql.begin(async (tx) => {
    await insertWebhookEndpoint(tx, {
      id,
      url: checked.url.toString(),
      description: input.description ?? '',
      events: [...new Set(input.events)],
      secretEncrypted: encryptSecret(id, secret),
      createdBy: input.organizerId,
    })
    await insertAudit(tx, {
      organizerId: input.organizerId,
      action: 'webhook.create',
      subjectType: 'webhook_endpoint',
      subjectId: id,
      details: { events: input.events },
    })
  })
  return { kind: 'created', id, secret }
}

/** A new secret; the old one keeps signing for ROTATION_OVERLAP_HOURS. */
export async function rotateWebhookSecret(
  endpointId: string,
  organizerId: string,
  sql: Db = getSql(),
): Promise<{ kind: 'rotated'; secret: string; url: string } | { kind: 'not-found' }> {
  const secret = newSecret()
  const url = await sql.begin(async (tx) => {
    const url = await rotateEndpointSecret(
      tx,
      endpointId,
      encryptSecret(endpointId, secret),
      ROTATION_OVERLAP_HOURS,
    )
    if (url) {
      await insertAudit(tx, {
        organizerId,
        action: 'webhook.rotate_secret',
        subjectType: 'webhook_endpoint',
        subjectId: endpointId,
        details: {},
      })
    }
    return url
  })
  return url ? { kind: 'rotated', secret, url } : { kind: 'not-found' }
}

export type EndpointAction = 'enable' | 'disable' | 'delete'

export async function changeWebhookEndpoint(
  endpointId: string,
  action: EndpointAction,
  organizerId: string,
  sql: Db = getSql(),
): Promise<boolean> {
  return sql.begin(async (tx) => {
    const ok =
      action === 'delete'
        ? await deleteWebhookEndpoint(tx, endpointId)
        : await setEndpointEnabled(tx, endpointId, action === 'enable', 'Disabled by an owner.')
    if (ok) {
      await insertAudit(tx, {
        organizerId,
        action: `webhook.${action}`,
        subjectType: 'webhook_endpoint',
        subjectId: endpointId,
        details: {},
      })
    }
    return ok
  })
}

export async function resendWebhookMessage(
  endpointId: string,
  messageId: string,
  sql: Sql = getSql(),
): Promise<boolean> {
  return requeueWebhookMessage(sql, endpointId, messageId)
}

/** Endpoints turned off after their retries ran out: the dashboard's notice. */
export function getDisabledEndpoints(sql: Sql = getSql()) {
  return listDisabledEndpoints(sql)
}

/** What /admin/webhooks shows: each endpoint with its recent attempts. */
export async function listEndpointsWithAttempts(sql: Sql = getSql()) {
  const endpoints = await listWebhookEndpoints(sql)
  return Promise.all(
    endpoints.map(async (e) => ({ ...e, attempts: await listRecentAttempts(sql, e.id) })),
  )
}

// Delivery --------------------------------------------------------------------------------------

export type PostResult = { statusCode: number | null; excerpt: string | null; error: string | null }

/**
 * POSTs once: no redirects followed, WEBHOOK_TIMEOUT_MS in all, only to addresses that pass the
 * SSRF checks (checked on the address the socket connects to).
 */
export async function postWebhook(
  rawUrl: string,
  headers: Record<string, string>,
  body: string,
): Promise<PostResult> {
  const policy = urlPolicy()
  const shape = checkUrlShape(rawUrl, policy)
  if (!shape.ok) return { statusCode: null, excerpt: null, error: `refused URL (${shape.reason})` }
  const url = shape.url
  const client = url.protocol === 'https:' ? https : http
  return new Promise<PostResult>((resolve) => {
    let settled = false
    const finish = (result: PostResult) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(result)
    }
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(policy) as never,
        agent: false,
      },
      (response) => {
        let excerpt = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => {
          if (excerpt.length < EXCERPT_CHARS) excerpt += chunk
        })
        response.on('end', () =>
          finish({
            statusCode: response.statusCode ?? null,
            excerpt: excerpt.slice(0, EXCERPT_CHARS) || null,
            error: null,
          }),
        )
        response.on('error', (error) =>
          finish({ statusCode: response.statusCode ?? null, excerpt: null, error: error.message }),
        )
      },
    )
    const timer = setTimeout(() => {
      request.destroy(new Error(`timed out after ${WEBHOOK_TIMEOUT_MS / 1000} s`))
    }, WEBHOOK_TIMEOUT_MS)
    request.on('error', (error) =>
      finish({
        statusCode: null,
        excerpt: null,
        error:
          error instanceof BlockedAddressError
            ? 'refused: the host resolves to a private address'
            : error.message.slice(0, EXCERPT_CHARS),
      }),
    )
    request.end(body)
  })
}

/** The JSON body: the same bytes on every attempt of a message. */
export function webhookBody(message: Pick<ClaimedWebhook, 'eventType' | 'createdAt' | 'dataJson'>) {
  return `{"type":${JSON.stringify(message.eventType)},"timestamp":${JSON.stringify(
    message.createdAt.toISOString(),
  )},"data":${message.dataJson}}`
}

/** The worker's processor: claims due messages and delivers each once. */
export async function deliverDueWebhooks(
  sql: Db,
  workerId: string,
  { batchSize = 20 }: { batchSize?: number } = {},
): Promise<number> {
  const lockedBy = `${workerId}:${randomUUID()}`
  const claimed = await claimDueWebhooks(sql, {
    batchSize,
    // longer than the timeout: a live attempt is never claimed twice
    leaseSeconds: Math.ceil(WEBHOOK_TIMEOUT_MS / 1000) * 3,
    lockedBy,
  })
  if (claimed.length === 0) return 0
  const schedule = getEnv().WEBHOOK_RETRY_SCHEDULE
  const secrets = new Map<string, { url: string; secrets: string[] } | null>()
  await Promise.all(
    claimed.map(async (message) => {
      let endpoint = secrets.get(message.endpointId)
      if (endpoint === undefined) {
        const row = await findEndpointSecrets(sql, message.endpointId)
        const current = row && decryptSecret(row.id, row.secretEncrypted)
        const previous =
          row?.previousSecretEncrypted && decryptSecret(row.id, row.previousSecretEncrypted)
        endpoint =
          row && current
            ? { url: row.url, secrets: previous ? [current, previous] : [current] }
            : null
        secrets.set(message.endpointId, endpoint)
      }
      const started = performance.now()
      let result: PostResult
      if (!endpoint) {
        result = { statusCode: null, excerpt: null, error: 'the signing secret cannot be read' }
      } else {
        const body = webhookBody(message)
        const timestamp = Math.floor(Date.now() / 1000)
        result = await postWebhook(
          endpoint.url,
          {
            'Content-Type': 'application/json',
            'User-Agent': 'Writ-Webhooks/1',
            'webhook-id': message.msgId,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signWebhook(endpoint.secrets, message.msgId, timestamp, body),
          },
          body,
        )
      }
      const latencyMs = Math.round(performance.now() - started)
      const delivered =
        result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300
      const retryIn = schedule[message.attempts - 1]
      await finishWebhookAttempt(
        sql,
        { id: message.id, lockedBy: message.lockedBy, endpointId: message.endpointId },
        { ...result, latencyMs, responseExcerpt: result.excerpt },
        delivered
          ? { kind: 'delivered' }
          : retryIn !== undefined
            ? { kind: 'retry', inSeconds: retryIn }
            : {
                kind: 'failed',
                disableReason: `Every retry failed (last: ${result.statusCode ? `HTTP ${result.statusCode}` : result.error}).`,
              },
      )
    }),
  )
  return claimed.length
}

/** Finished messages are kept 30 days: long enough to look at and resend, no longer. */
export async function purgeOldWebhookMessages(sql: Db): Promise<void> {
  await deleteOldWebhookMessages(sql, 30)
}
