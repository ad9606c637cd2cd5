import { createHmac } from 'node:crypto'
import { getEnv } from '#app/utils/env.server'

/**
 * A keyed hash of the client's IP: stable across instances that share SESSION_SECRET, useless
 * to anyone without it. Raw IPs are never stored.
 */
export function hashIp(ip: string): string {
  return createHmac('sha256', getEnv().SESSION_SECRET)
    .update(`ip:${ip}`)
    .digest('base64url')
    .slice(0, 22)
}

export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase()
}
