import '#tests/setup/app-env'
import { hkdfSync } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { sendReceiptIfDue } from '#app/delivery/receipts.server'
import { createLetter, customTargetToDeliveryTarget } from '#app/letters/letters.server'
import { decryptTotpSecret, encryptTotpSecret } from '#app/organizers/two-factor.server'
import { checkFormTiming, issueFormToken } from '#app/safety/bot-defense.server'
import { unsubscribeUrl } from '#app/safety/unsubscribe.server'
import { resetEnv } from '#app/utils/env.server'
import { keyFor, keysFor, type KeyPurpose } from '#app/utils/keys.server'
import { readPendingLogin, startSecondStep } from '#app/http/session.server'
import { getSql } from '#db/client'
import { RED_NOTICE_LETTER_SLUG } from '#db/seed/red-notice'
import { loader as statusLoader } from '#app/routes/letters.$token'
import { loader as unsubscribeLoader } from '#app/routes/unsubscribe.$token'
// Aliased: the react-hooks lint rule reads any top-level use*() call as a hook.
import { useAppDatabase as appDatabase } from '#tests/setup/db'

// Rotating SESSION_SECRET: links and tokens made under the old secret keep working while it is
// SESSION_SECRET_PREVIOUS, and not under an unrelated previous secret.

appDatabase()

const A = 'secret-A-'.padEnd(40, 'a')
const B = 'secret-B-'.padEnd(40, 'b')
const C = 'secret-C-'.padEnd(40, 'c')
const saved = {
  SESSION_SECRET: process.env.SESSION_SECRET,
  PREV: process.env.SESSION_SECRET_PREVIOUS,
}

function useSecrets(current: string, previous?: string) {
  process.env.SESSION_SECRET = current
  if (previous) process.env.SESSION_SECRET_PREVIOUS = previous
  else delete process.env.SESSION_SECRET_PREVIOUS
  resetEnv()
}

beforeAll(() => {
  process.env.CWC_API_KEY = ''
  process.env.PUBLIC_URL = 'http://writ.test'
  useSecrets(A)
})

afterAll(() => {
  if (saved.SESSION_SECRET) process.env.SESSION_SECRET = saved.SESSION_SECRET
  else delete process.env.SESSION_SECRET
  if (saved.PREV) process.env.SESSION_SECRET_PREVIOUS = saved.PREV
  else delete process.env.SESSION_SECRET_PREVIOUS
  resetEnv()
})

/** A letter written under the current secret, its one delivery already final. */
async function deliveredLetter(email: string) {
  const sql = getSql()
  const [c] = await sql<{ id: string; letterEditable: boolean; letterMaxLength: number }[]>`
    select id, letter_editable, letter_max_length from campaigns where slug = ${RED_NOTICE_LETTER_SLUG}`
  const [t] = await sql<
    { id: string; name: string; title: string; channel: 'email' | 'packet'; email: string | null }[]
  >`select id, name, title, channel, email from custom_targets where campaign_id = ${c!.id}`
  const created = await sql.begin(async (tx) => {
    const [s] = await tx<{ id: string }[]>`insert into supporters ${tx({ email })} returning id`
    return createLetter(tx, {
      campaign: c!,
      supporterId: s!.id,
      constituent: {
        prefix: 'Ms.',
        firstName: 'Rosa',
        lastName: 'Mejía',
        email,
        street: '9 Oak St',
        city: 'Fresno',
        state: 'CA',
        zip: '93701',
      },
      subject: 'Hello',
      body: 'Please act.',
      edited: false,
      locale: 'en',
      targets: [customTargetToDeliveryTarget(t!)],
    })
  })
  await sql`update deliveries set status = 'delivered', finished_at = now() where letter_id = ${created.letterId}`
  return created
}

/** Sends the letter's receipt and returns the status link it carries. */
async function receiptStatusToken(letterId: string, email: string): Promise<string> {
  expect(await sendReceiptIfDue(getSql(), letterId)).toBe(true)
  const [mail] = await getSql()<{ textBody: string }[]>`
    select text_body from outbound_emails where to_address = ${email} and template = 'letter-receipt'`
  return /http:\/\/writ\.test\/letters\/([A-Za-z0-9_-]+)/.exec(mail!.textBody)![1]
}

async function statusPage(token: string): Promise<number> {
  try {
    const res = (await statusLoader({
      request: new Request(`http://writ.test/letters/${token}`),
      params: { token },
      context: { cspNonce: '' },
    })) as unknown as { init?: { status?: number } }
    return res.init?.status ?? 200
  } catch (thrown) {
    return (thrown as { init?: { status?: number } }).init?.status ?? 500
  }
}

async function unsubscribePage(token: string): Promise<number> {
  try {
    await unsubscribeLoader({
      request: new Request(`http://writ.test/unsubscribe/${token}`),
      params: { token },
      context: { cspNonce: '' },
    })
    return 200
  } catch (thrown) {
    return (thrown as { init?: { status?: number } }).init?.status ?? 500
  }
}

describe('keys per purpose', () => {
  test('each purpose has its own key, HKDF-SHA256 of SESSION_SECRET with the label writ:<purpose>', () => {
    useSecrets(A)
    const purposes: KeyPurpose[] = [
      'ip-hash',
      'email-limit',
      'form-token',
      'letter-status',
      'unsubscribe',
      'totp',
      'pending-login',
    ]
    const hex = purposes.map((p) => keyFor(p).toString('hex'))
    expect(new Set(hex).size).toBe(purposes.length)
    // the label TOTP secrets were encrypted under before this module: they still decrypt
    expect(keyFor('totp')).toEqual(
      Buffer.from(hkdfSync('sha256', A, Buffer.alloc(0), 'writ:totp', 32)),
    )
    expect(keysFor('totp')).toHaveLength(1)
    useSecrets(B, A)
    expect(keysFor('totp').map((k) => k.toString('hex'))).toEqual([
      Buffer.from(hkdfSync('sha256', B, Buffer.alloc(0), 'writ:totp', 32)).toString('hex'),
      Buffer.from(hkdfSync('sha256', A, Buffer.alloc(0), 'writ:totp', 32)).toString('hex'),
    ])
    useSecrets(A)
  })
})

describe('rotating SESSION_SECRET', () => {
  test('the receipt sent after rotating to B (previous A) links to the letter written under A', async () => {
    useSecrets(A)
    const email = 'rotation-ok@example.org'
    const letter = await deliveredLetter(email)
    // the thank-you page's link, issued under A
    expect(await statusPage(letter.statusToken)).toBe(200)
    useSecrets(B, A)
    const token = await receiptStatusToken(letter.letterId, email)
    expect(await statusPage(token)).toBe(200)
    expect(await statusPage(letter.statusToken)).toBe(200)
  })

  test('with an unrelated previous secret, the receipt cannot rebuild the link', async () => {
    useSecrets(A)
    const email = 'rotation-unrelated@example.org'
    const letter = await deliveredLetter(email)
    useSecrets(B, C)
    const token = await receiptStatusToken(letter.letterId, email)
    expect(await statusPage(token)).toBe(404)
  })

  test('an unsubscribe link from an email sent under A works under B with previous A, not C', async () => {
    useSecrets(A)
    const [s] = await getSql()<{ id: string }[]>`
      insert into supporters ${getSql()({ email: 'rotation-unsub@example.org' })} returning id`
    const token = new URL(unsubscribeUrl(s!.id)).pathname.split('/').pop()!
    expect(await unsubscribePage(token)).toBe(200)
    useSecrets(B, A)
    expect(await unsubscribePage(token)).toBe(200)
    // what is issued now is signed with B's key
    const fresh = new URL(unsubscribeUrl(s!.id)).pathname.split('/').pop()!
    expect(fresh).not.toBe(token)
    expect(await unsubscribePage(fresh)).toBe(200)
    useSecrets(B, C)
    expect(await unsubscribePage(token)).toBe(404)
    useSecrets(B)
    expect(await unsubscribePage(token)).toBe(404)
  })

  test('a served form, a stored TOTP secret and a pending sign-in survive the rotation', async () => {
    process.env.MIN_FORM_FILL_MS = '1'
    try {
      useSecrets(A)
      const formToken = issueFormToken(Date.now() - 5000)
      const organizerId = '00000000-0000-4000-8000-000000000001'
      const blob = encryptTotpSecret(organizerId, 'JBSWY3DPEHPK3PXP')
      const cookie = (await startSecondStep(organizerId, '/admin')).split(';')[0]
      const pendingRequest = new Request('http://writ.test/admin/login/two-factor', {
        headers: { Cookie: cookie },
      })
      useSecrets(B, A)
      expect(checkFormTiming(formToken)).toBe('ok')
      expect(decryptTotpSecret(organizerId, blob)).toBe('JBSWY3DPEHPK3PXP')
      expect((await readPendingLogin(pendingRequest))?.organizerId).toBe(organizerId)
      useSecrets(B, C)
      expect(checkFormTiming(formToken)).toBe('invalid')
      expect(decryptTotpSecret(organizerId, blob)).toBeNull()
      expect(await readPendingLogin(pendingRequest)).toBeNull()
    } finally {
      delete process.env.MIN_FORM_FILL_MS
      useSecrets(A)
    }
  })
})
