// Local fakes for the outside services Writ talks to (Stripe, CWC, the Census Geocoder).
// Each capability adds its fake here; env maps the app's configuration onto them.

export type Fakes = { env: Record<string, string>; close(): Promise<void> }

export async function startFakes(_options: { appUrl: string }): Promise<Fakes> {
  const closers: Array<() => Promise<void>> = []
  const env: Record<string, string> = {}
  return {
    env,
    async close() {
      for (const c of closers) await c()
    },
  }
}
