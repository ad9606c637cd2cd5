// A loop of real sign POSTs, as a browser without JS would send them, for the fault drills.

export type SignOutcome = {
  email: string
  status: number | 'network-error'
  retryAfter: string | null
  at: number
}

export const PETITION_SLUG = 'stop-red-notice-detentions'

export function signBody(email: string): URLSearchParams {
  return new URLSearchParams({ firstName: 'Drill', lastName: 'Signer', email, zip: '82001' })
}

export async function postSignature(baseUrl: string, email: string): Promise<SignOutcome> {
  try {
    const res = await fetch(`${baseUrl}/c/${PETITION_SLUG}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: signBody(email),
      redirect: 'manual',
    })
    await res.arrayBuffer()
    return { email, status: res.status, retryAfter: res.headers.get('retry-after'), at: Date.now() }
  } catch {
    return { email, status: 'network-error', retryAfter: null, at: Date.now() }
  }
}

/** `concurrency` loops posting unique signatures until stop() is called. */
export function streamSignatures(baseUrl: string, { concurrency = 4, prefix = 'drill' } = {}) {
  const outcomes: SignOutcome[] = []
  let running = true
  let n = 0
  const loops = Array.from({ length: concurrency }, async () => {
    while (running) {
      const email = `${prefix}-${process.pid}-${n++}@drill.test`
      outcomes.push(await postSignature(baseUrl, email))
    }
  })
  return {
    outcomes,
    async stop() {
      running = false
      await Promise.all(loops)
      return outcomes
    },
  }
}
