import { createHash, randomBytes } from 'node:crypto'
import type { Sql } from '#db/client'
import {
  claimEmailToken,
  emailTokenIssuedWithin,
  endLiveEmailTokens,
  findLiveEmailToken,
  insertEmailToken,
  type TokenPurpose,
} from '#db/queries/email-tokens'

// Every single-use link Writ emails (signature confirmation, "manage my gift", password reset),
// and every secret Writ keeps only as a hash (organizer sessions, letter status links): 256
// random bits in the link, their sha256 in the database, so a leaked table opens nothing.

export type { TokenPurpose }
/** For rate-limiting links: whether one was sent to this subject within the last seconds. */
export { emailTokenIssuedWithin }
/** Ends a subject's other links of one purpose (a password reset ends the other reset links). */
export { endLiveEmailTokens }

export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest()
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/

/** Whether a string can be one of our tokens at all; anything else is unknown without a query. */
export function isTokenShaped(token: string): boolean {
  return TOKEN_SHAPE.test(token)
}

/** Stores a new token for `subjectId` and returns it, for the link. */
export async function issueEmailToken(
  sql: Sql,
  input: { purpose: TokenPurpose; subjectId: string; ttlMinutes: number },
): Promise<string> {
  const token = newToken()
  await insertEmailToken(sql, { ...input, tokenHash: hashToken(token) })
  return token
}

/** The subject of a usable token, without using it (a link's GET). */
export async function peekEmailToken(
  sql: Sql,
  token: string,
  purpose: TokenPurpose,
): Promise<string | undefined> {
  if (!isTokenShaped(token)) return undefined
  return findLiveEmailToken(sql, hashToken(token), purpose)
}

/** Uses a token once and returns its subject; undefined when it is unknown, used or expired. */
export async function redeemEmailToken(
  sql: Sql,
  token: string,
  purpose: TokenPurpose,
): Promise<string | undefined> {
  if (!isTokenShaped(token)) return undefined
  return claimEmailToken(sql, hashToken(token), purpose)
}
