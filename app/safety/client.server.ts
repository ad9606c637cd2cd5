import { isIP } from 'node:net'
import { hmac } from '#app/utils/keys.server'
import { normalizeEmailForLimits } from '#app/utils/email-address'

/**
 * A keyed hash of the client's IP (128 bits, hex): stable across instances that share
 * SESSION_SECRET, useless to anyone without it. Raw IPs are never stored. Signatures and consents
 * keep it (ADR 0101), so its form must not change. The key is the 'ip-hash' key derived from
 * SESSION_SECRET (ADR 0814); hashes stored before that key was introduced are not comparable with
 * new ones, which only the recent-window burst check compares.
 */
export function hashIp(ip: string): string {
  // IPv6 clients are one /64 (clientNetwork); an IPv4 address hashes as it always has
  return hmac('ip-hash', clientNetwork(ip)).toString('hex').slice(0, 32)
}

/**
 * The unit a per-IP limit counts: an IPv4 address, or an IPv6 client's /64. One IPv6 subscriber
 * usually holds a whole /64, so counting single addresses would give them 2^64 tries.
 */
export function clientNetwork(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)
  if (mapped) return mapped[1]
  if (isIP(ip) !== 6) return ip
  const zoneless = ip.split('%')[0].toLowerCase()
  const [head, tail = ''] = zoneless.split('::')
  const headParts = head ? head.split(':') : []
  const tailParts = tail ? tail.split(':') : []
  // an embedded IPv4 tail (::a.b.c.d) is in the last 32 bits, outside the /64
  const missing = 8 - headParts.length - tailParts.length
  const groups = zoneless.includes('::')
    ? [...headParts, ...Array(Math.max(missing, 0)).fill('0'), ...tailParts]
    : headParts
  return `${groups
    .slice(0, 4)
    .map((g) => (parseInt(g, 16) || 0).toString(16))
    .join(':')}::/64`
}

/** Lives in app/utils, so that app/mail's daily cap counts the same mailbox. */
export { normalizeEmailForLimits }

/** A keyed hash of the normalized email for limit buckets: no address is stored in them. */
export function emailLimitKey(email: string): string {
  return hmac('email-limit', `email-limit:${normalizeEmailForLimits(email)}`)
    .toString('base64url')
    .slice(0, 22)
}

export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase()
}
