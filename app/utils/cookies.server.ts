import { getEnv } from './env.server'

/** In production cookies are __Host- prefixed and Secure; locally they must work over http. */
export function cookieSecure(): boolean {
  return getEnv().NODE_ENV === 'production'
}

export function cookieName(name: string): string {
  return cookieSecure() ? `__Host-${name}` : name
}
