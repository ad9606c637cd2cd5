import { randomBytes } from 'node:crypto'
import type { AppLoadContext } from '@remix-run/node'
import { getSql } from '#db/client'
import type { OrganizerRole } from '#app/organizers/auth.server'
import { createOrganizer } from '#app/organizers/organizers.server'
import { signIn } from '#app/http/session.server'

export const TEST_PASSWORD = 'correct horse battery staple'

/** A load context as server/app.ts builds it, with its own client IP. */
export function contextFor(ip = `192.0.2.${Math.floor(Math.random() * 250) + 1}`): AppLoadContext {
  return { cspNonce: 'test', clientIp: ip }
}

/** A new organizer, signed in through the real login: returns the Cookie header to send. */
export async function signedInOrganizer(role: OrganizerRole) {
  const email = `${role}-${randomBytes(4).toString('hex')}@example.org`
  const organizer = await createOrganizer(getSql(), { email, password: TEST_PASSWORD, role })
  const result = await signIn(new Request('http://localhost/admin/login'), contextFor(), {
    email,
    password: TEST_PASSWORD,
  })
  if (result.status !== 'ok') throw new Error(`login failed: ${result.status}`)
  const cookie = result.setCookie.split(';')[0]
  return { organizer, email, cookie }
}

export function loginForm(fields: Record<string, string>): Request {
  return new Request('http://localhost/admin/login', {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  })
}

/** Runs a loader/action and gives back what it returned or threw, as a Response when it is one. */
export async function settle(fn: () => unknown): Promise<{ response?: Response; value?: unknown }> {
  try {
    const value = await fn()
    if (value instanceof Response) return { response: value }
    return { value }
  } catch (thrown) {
    if (thrown instanceof Response) return { response: thrown }
    throw thrown
  }
}
