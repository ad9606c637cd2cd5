import type postgres from 'postgres'
import type { Sql } from '../client'
import { insertFrom, type Exprs } from './insert-from'

// Single-use links sent by email. The database keeps only the token's sha256
// (app/tokens/email-tokens.server.ts makes and hashes them).

export type TokenPurpose = 'confirm_signature' | 'manage_donation' | 'password_reset'

export type NewEmailToken = {
  tokenHash: Buffer
  purpose: TokenPurpose
  subjectId: string
  /** Counted on the database's clock, as the checks below are. */
  ttlMinutes: number
}

// The one mapping from a token to its columns, for both statements below.
function tokenColumns(
  sql: Sql,
  token: Exprs<Omit<NewEmailToken, 'subjectId'>>,
  subjectId: string | postgres.Fragment,
) {
  return {
    tokenHash: token.tokenHash,
    purpose: token.purpose,
    subjectId,
    expiresAt: sql`now() + make_interval(mins => ${token.ttlMinutes})`,
  }
}

export async function insertEmailToken(sql: Sql, token: NewEmailToken): Promise<void> {
  await sql`insert into email_tokens ${sql(tokenColumns(sql, token, token.subjectId))}`
}

/**
 * insertEmailToken as the body of a data-modifying CTE: one token per row of `from`, for the
 * subject in that row (the sign path writes the signature and its token in one statement). The
 * token's fields may be expressions over that row, for a statement that writes many.
 */
export function insertEmailTokenFrom(
  sql: Sql,
  token: Exprs<Omit<NewEmailToken, 'subjectId'>>,
  source: { from: postgres.Fragment; subjectId: postgres.Fragment },
): postgres.Fragment {
  return insertFrom(sql, 'email_tokens', tokenColumns(sql, token, source.subjectId), source.from)
}

/** The subject of a token that is unused and unexpired, without using it. */
export async function findLiveEmailToken(
  sql: Sql,
  tokenHash: Buffer,
  purpose: TokenPurpose,
): Promise<string | undefined> {
  const [row] = await sql<{ subjectId: string }[]>`
    select subject_id from email_tokens
    where token_hash = ${tokenHash} and purpose = ${purpose}
      and used_at is null and expires_at > now()`
  return row?.subjectId
}

/**
 * Uses a live token once (the update claims it atomically) and returns its subject. As a
 * fragment, for a statement that acts on the subject in the same round trip.
 */
export function claimEmailTokenQuery(sql: Sql, tokenHash: Buffer, purpose: TokenPurpose) {
  return sql<{ subjectId: string }[]>`
    update email_tokens set used_at = now()
    where token_hash = ${tokenHash} and purpose = ${purpose}
      and used_at is null and expires_at > now()
    returning subject_id`
}

export async function claimEmailToken(
  sql: Sql,
  tokenHash: Buffer,
  purpose: TokenPurpose,
): Promise<string | undefined> {
  const [row] = await claimEmailTokenQuery(sql, tokenHash, purpose)
  return row?.subjectId
}

/** Marks every unused token of this purpose for the subject as used: none of them opens again. */
export async function endLiveEmailTokens(
  sql: Sql,
  { purpose, subjectId }: { purpose: TokenPurpose; subjectId: string },
): Promise<number> {
  const rows = await sql`
    update email_tokens set used_at = now()
    where purpose = ${purpose} and subject_id = ${subjectId} and used_at is null
    returning 1`
  return rows.length
}

/** Whether a token for this subject was issued within the last `seconds`. */
export async function emailTokenIssuedWithin(
  sql: Sql,
  { purpose, subjectId, seconds }: { purpose: TokenPurpose; subjectId: string; seconds: number },
): Promise<boolean> {
  const rows = await sql`
    select 1 from email_tokens
    where purpose = ${purpose} and subject_id = ${subjectId}
      and created_at > now() - make_interval(secs => ${seconds})
    limit 1`
  return rows.length > 0
}

/** A token's state whatever it is, as a fragment to join its subject to (`from (…) t`). */
export function emailTokenStateQuery(sql: Sql, tokenHash: Buffer, purpose: TokenPurpose) {
  return sql`
    select subject_id, expires_at <= now() as expired, used_at is not null as used
    from email_tokens
    where token_hash = ${tokenHash} and purpose = ${purpose}`
}

/** Erasure: every token that points at one of these subjects. */
export async function deleteEmailTokensOf(sql: Sql, subjectIds: string[]): Promise<void> {
  await sql`delete from email_tokens where subject_id = any(${subjectIds}::text[])`
}
