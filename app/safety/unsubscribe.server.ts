import { getSql, type Sql } from '#db/client'
import { suppressQueuedListEmails } from '#db/queries/mail'
import { markUnsubscribed } from '#db/queries/safety'
import { listUnsubscribeHeaders as listHeadersFor } from '#app/mail/list-mail.server'
import { getEnv } from '#app/utils/env.server'
import { hmac, keyFor, verifyWithAnyKey } from '#app/utils/keys.server'

// One-click unsubscribe (RFC 8058). The link carries the supporter id signed with the
// 'unsubscribe' key derived from SESSION_SECRET (ADR 0814), so it works from any email without
// storing a token per message; after a rotation, links signed under SESSION_SECRET_PREVIOUS too.

function sign(supporterId: string, key = keyFor('unsubscribe')): string {
  return hmac('unsubscribe', `unsubscribe:${supporterId}`, key).toString('base64url').slice(0, 32)
}

export function unsubscribeToken(supporterId: string): string {
  return `${Buffer.from(supporterId).toString('base64url')}.${sign(supporterId)}`
}

export function readUnsubscribeToken(token: string): string | null {
  const [idPart, mac] = token.split('.')
  if (!idPart || !mac || mac.length !== 32) return null
  let supporterId: string
  try {
    supporterId = Buffer.from(idPart, 'base64url').toString('utf8')
  } catch {
    return null
  }
  if (!/^[0-9a-f-]{36}$/.test(supporterId)) return null
  return verifyWithAnyKey('unsubscribe', mac, (key) => sign(supporterId, key)) ? supporterId : null
}

export function unsubscribeUrl(supporterId: string): string {
  return new URL(`/unsubscribe/${unsubscribeToken(supporterId)}`, getEnv().PUBLIC_URL).toString()
}

/** Headers every list email carries (RFC 2369 + RFC 8058 one-click). */
export function listUnsubscribeHeaders(supporterId: string): Record<string, string> {
  return listHeadersFor(unsubscribeUrl(supporterId))
}

/** Idempotent: unsubscribing twice keeps the first time. Returns false for an unknown id. */
export async function unsubscribeSupporter(sql: Sql, supporterId: string): Promise<boolean> {
  const known = await markUnsubscribed(sql, supporterId)
  // Anything already queued for them stops too.
  if (known) await suppressQueuedListEmails(sql, supporterId)
  return known
}

/** For the route: null when the token is not one of ours. */
export function supporterIdFromToken(token: string | undefined): string | null {
  return token ? readUnsubscribeToken(token) : null
}

export async function unsubscribeByToken(token: string | undefined): Promise<boolean> {
  const id = supporterIdFromToken(token)
  if (!id) return false
  await unsubscribeSupporter(getSql(), id)
  return true
}
