import type { CapturedMail } from '../setup/smtp-sink'

const INSPECTOR = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3900) + 1}`

/** Polls the harness's SMTP sink for a message to `to` that matches. */
export async function waitForMail(
  to: string,
  match: (m: CapturedMail) => boolean = () => true,
  timeoutMs = 20_000,
): Promise<CapturedMail> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const res = await fetch(`${INSPECTOR}/messages?to=${encodeURIComponent(to)}`)
    const list = (await res.json()) as CapturedMail[]
    const found = list.find(match)
    if (found) return found
    if (Date.now() > deadline) throw new Error(`No email to ${to} within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

export async function setSinkMode(mode: 'accept' | 'tempfail' | 'permfail') {
  await fetch(`${INSPECTOR}/mode/${mode}`, { method: 'POST' })
}
