// Local fakes for the outside services Writ talks to (Stripe, CWC, the Census Geocoder).
// Each capability adds its fake here; env maps the app's configuration onto them.
import path from 'node:path'
import { startFakeGeocoder } from '../fakes/geocoder'
import { ensureReferenceDir } from '../setup/reference-dir'

import { startFakeStripe } from '../../server/fakes/stripe'

import { startCwcFake } from '../fakes/cwc'

export type Fakes = { env: Record<string, string>; close(): Promise<void> }

/** Addresses the fake geocoder places (besides the recorded fixtures), for the e2e journeys. */
export const E2E_ADDRESSES = {
  // ZIP 10001 crosses NY-10 and NY-12
  ny12: '20 W 34th St, New York, NY 10001',
  ny10: '350 10th Ave, New York, NY 10001',
}

export async function startFakes(options: { appUrl: string }): Promise<Fakes> {
  const closers: Array<() => Promise<void>> = []
  const env: Record<string, string> = {}

  const geocoder = await startFakeGeocoder({
    fixturesDir: path.join(await ensureReferenceDir(), 'fixtures'),
  })
  geocoder.addAddress(E2E_ADDRESSES.ny12, { state: 'NY', district: '12', zip: '10001' })
  geocoder.addAddress(E2E_ADDRESSES.ny10, { state: 'NY', district: '10', zip: '10001' })
  env.GEOCODER_URL = geocoder.url
  closers.push(geocoder.close)

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

  const cwc = await startCwcFake()
  closers.push(() => cwc.close())
  env.CWC_BASE_URL = cwc.url
  env.CWC_API_KEY = cwc.apiKey
  return {
    env,
    async close() {
      for (const c of closers) await c()
    },
  }
}
