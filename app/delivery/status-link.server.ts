import { hashToken } from '#app/tokens/email-tokens.server'
import { getEnv } from '#app/utils/env.server'
import { hmac, keyFor, keysFor } from '#app/utils/keys.server'

// The /letters/:token status link. It lives with delivery, which owns the status it shows and
// the receipt that carries it; letters import it (letters -> delivery, never back). The token is
// an HMAC of the letter id under the 'letter-status' key derived from SESSION_SECRET (ADR 0814):
// the receipt can rebuild the link, and the database keeps only its sha256
// (letters.status_token_hash), so a link already sent keeps working whatever the secret.
// A receipt built after a rotation rebuilds the link under whichever key (SESSION_SECRET or
// SESSION_SECRET_PREVIOUS) made the stored one.

export function letterStatusToken(letterId: string, key = keyFor('letter-status')): string {
  return hmac('letter-status', `letter-status:${letterId}`, key).toString('base64url')
}

/**
 * The token whose sha256 is the one stored for the letter, under the current or the previous key;
 * the current key's token when neither matches (the stored one was made under an older secret).
 */
export function storedLetterStatusToken(letterId: string, storedHash: Buffer | null): string {
  if (storedHash) {
    for (const key of keysFor('letter-status')) {
      const token = letterStatusToken(letterId, key)
      if (hashToken(token).equals(storedHash)) return token
    }
  }
  return letterStatusToken(letterId)
}

export function letterStatusPath(letterId: string): string {
  return `/letters/${letterStatusToken(letterId)}`
}

/** The link for a letter already stored: the one whose hash the letter keeps. */
export function letterStatusUrl(letterId: string, storedHash: Buffer | null): string {
  return new URL(
    `/letters/${storedLetterStatusToken(letterId, storedHash)}`,
    getEnv().PUBLIC_URL,
  ).toString()
}
