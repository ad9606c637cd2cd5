import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto'
import { getEnv } from '#app/utils/env.server'

// One key per purpose, derived from SESSION_SECRET with HKDF-SHA256 and the label
// `writ:<purpose>`. A leak of one derived key (a log, a dump, a bug) gives neither the secret nor
// the other purposes' keys. SESSION_SECRET_PREVIOUS is the secret before a rotation: what was
// signed or encrypted under it still verifies (keysFor), while everything new uses the current
// secret (keyFor). See docs/decisions/0814-keys-per-purpose-and-rotation.md.

export type KeyPurpose =
  /** hashIp: the keyed hash of a client's network (stored on signatures and consents). */
  | 'ip-hash'
  /** The keyed hash of a mailbox for the daily cap on triggered mail (outbound_emails.recipient_key). */
  | 'mail-recipient'
  /** Rate-limit bucket names for emails, and the organizer sign-in limit's email key. */
  | 'email-limit'
  /** The signed "form served at" timestamp on public forms. */
  | 'form-token'
  /** The /letters/:token status link. */
  | 'letter-status'
  /** One-click unsubscribe links. */
  | 'unsubscribe'
  /** Organizers' TOTP secrets at rest (aes-256-gcm). */
  | 'totp'
  /** The signed cookie between the password and the second sign-in step. */
  | 'pending-login'
  /** The thank-you page's proof that its code came from the sign or confirm redirect (ADR 1101). */
  | 'ladder-ask'
  /** Webhook endpoints' signing secrets at rest (aes-256-gcm): they are needed to sign. */
  | 'webhook-secret'
  /** The keyed hash of a patch-through caller's phone (call_sessions.phone_hash), for the daily limit. */
  | 'call-phone'

let cache: { current: string; previous: string | undefined; keys: Map<string, Buffer[]> } | null =
  null

function derive(secret: string, purpose: KeyPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `writ:${purpose}`, 32))
}

/** The keys that verify: the current secret's first, then the previous secret's, if set. */
export function keysFor(purpose: KeyPurpose): Buffer[] {
  const env = getEnv()
  const previous = env.SESSION_SECRET_PREVIOUS
  if (!cache || cache.current !== env.SESSION_SECRET || cache.previous !== previous) {
    cache = { current: env.SESSION_SECRET, previous, keys: new Map() }
  }
  let keys = cache.keys.get(purpose)
  if (!keys) {
    keys = [derive(env.SESSION_SECRET, purpose)]
    if (previous && previous !== env.SESSION_SECRET) keys.push(derive(previous, purpose))
    cache.keys.set(purpose, keys)
  }
  return keys
}

/** The key that signs and encrypts: the current secret's. */
export function keyFor(purpose: KeyPurpose): Buffer {
  return keysFor(purpose)[0]
}

/** HMAC-SHA256 of `message` under the purpose's current key. */
export function hmac(purpose: KeyPurpose, message: string, key = keyFor(purpose)): Buffer {
  return createHmac('sha256', key).update(message, 'utf8').digest()
}

/**
 * Whether `given` is what `sign(key)` makes under the current or the previous key, compared in
 * constant time.
 */
export function verifyWithAnyKey(
  purpose: KeyPurpose,
  given: string,
  sign: (key: Buffer) => string,
): boolean {
  const givenBytes = Buffer.from(given)
  let ok = false
  for (const key of keysFor(purpose)) {
    const expected = Buffer.from(sign(key))
    if (expected.length === givenBytes.length && timingSafeEqual(expected, givenBytes)) ok = true
  }
  return ok
}
