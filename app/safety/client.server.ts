import { createHmac } from 'node:crypto'
import { getEnv } from '#app/utils/env.server'

/**
 * A keyed hash of the client's IP (128 bits, hex): stable across instances that share
 * SESSION_SECRET, useless to anyone without it. Raw IPs are never stored. Signatures and consents
 * keep it (ADR 0101), so its form must not change.
 */
export function hashIp(ip: string): string {
  return createHmac('sha256', getEnv().SESSION_SECRET).update(ip).digest('hex').slice(0, 32)
}

export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase()
}
