import Stripe from 'stripe'
import { getEnv } from '#app/utils/env.server'

// The one place that builds the Stripe client. STRIPE_API_BASE points it at the local fake
// (tests, and `npm start` without keys); env.server.ts refuses that setting in production.

export class StripeNotConfiguredError extends Error {
  name = 'StripeNotConfiguredError'
}

const holder = globalThis as typeof globalThis & {
  __writStripe?: { cacheKey: string; client: Stripe }
}

export function getStripe(): Stripe {
  const env = getEnv()
  if (!env.STRIPE_SECRET_KEY) {
    throw new StripeNotConfiguredError('STRIPE_SECRET_KEY is not set; donations are unavailable')
  }
  const cacheKey = `${env.STRIPE_SECRET_KEY}|${env.STRIPE_API_BASE ?? ''}`
  if (holder.__writStripe?.cacheKey === cacheKey) return holder.__writStripe.client
  const config: Stripe.StripeConfig = {
    maxNetworkRetries: 2,
    timeout: 15_000,
    appInfo: { name: 'Writ', url: 'https://github.com/writ' },
  }
  if (env.STRIPE_API_BASE) {
    const base = new URL(env.STRIPE_API_BASE)
    config.host = base.hostname
    config.protocol = base.protocol === 'https:' ? 'https' : 'http'
    config.port = base.port || (base.protocol === 'https:' ? 443 : 80)
  }
  const client = new Stripe(env.STRIPE_SECRET_KEY, config)
  holder.__writStripe = { cacheKey, client }
  return client
}

export function getWebhookSecret(): string {
  const secret = getEnv().STRIPE_WEBHOOK_SECRET
  if (!secret) throw new StripeNotConfiguredError('STRIPE_WEBHOOK_SECRET is not set')
  return secret
}

/** Network trouble or a Stripe outage: the caller answers 503 and the client retries. */
export function isStripeUnavailable(error: unknown): boolean {
  if (error instanceof StripeNotConfiguredError) return true
  const type = (error as { type?: string })?.type
  return (
    type === 'StripeConnectionError' ||
    type === 'StripeAPIError' ||
    type === 'StripeRateLimitError' ||
    (typeof (error as { statusCode?: number })?.statusCode === 'number' &&
      (error as { statusCode: number }).statusCode >= 500)
  )
}
