// Local fakes for the outside services Writ talks to (Stripe, CWC, the Census Geocoder).
// Each capability adds its fake here; env maps the app's configuration onto them.

import { startCwcFake } from '../fakes/cwc'

export type Fakes = { env: Record<string, string>; close(): Promise<void> }

export async function startFakes(_options: { appUrl: string }): Promise<Fakes> {
  const closers: Array<() => Promise<void>> = []
  const env: Record<string, string> = {}

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
