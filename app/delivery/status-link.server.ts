import { createHmac } from 'node:crypto'
import { getEnv } from '#app/utils/env.server'

// The /letters/:token status link. It lives with delivery, which owns the status it shows and
// the receipt that carries it; letters import it (letters -> delivery, never back). The token is an HMAC of the letter id under SESSION_SECRET:
// the receipt can rebuild the link, and the database keeps only its sha256 (letters.status_token_hash).
// Rotating SESSION_SECRET retires old links (the receipt email's copy stops working).

export function letterStatusToken(letterId: string): string {
  return createHmac('sha256', getEnv().SESSION_SECRET)
    .update(`letter-status:${letterId}`)
    .digest('base64url')
}

export function letterStatusPath(letterId: string): string {
  return `/letters/${letterStatusToken(letterId)}`
}

export function letterStatusUrl(letterId: string): string {
  return new URL(letterStatusPath(letterId), getEnv().PUBLIC_URL).toString()
}
