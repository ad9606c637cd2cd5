// Local fakes for the outside services Writ talks to (Stripe, CWC, the Census Geocoder).
// Each capability adds its fake here; env maps the app's configuration onto them.

import { startFakeStripe } from '../fakes/stripe'

export type Fakes = { env: Record<string, string>; close(): Promise<void> }

export async function startFakes(options: { appUrl: string }): Promise<Fakes> {
  const closers: Array<() => Promise<void>> = []
  const env: Record<string, string> = {}

  // Stripe: the API, the test checkout page, and signed webhooks to the app. The harness serves
  // on 127.0.0.1, so webhooks go there rather than to "localhost" (which may resolve to ::1).
  const appUrl = new URL(options.appUrl)
  appUrl.hostname = '127.0.0.1'
  const stripe = await startFakeStripe({ webhookUrl: new URL('/webhooks/stripe', appUrl).href })
  closers.push(() => stripe.close())
  Object.assign(env, {
    STRIPE_API_BASE: stripe.url,
    STRIPE_SECRET_KEY: stripe.secretKey,
    STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
  })
  return {
    env,
    async close() {
      for (const c of closers) await c()
    },
  }
}
