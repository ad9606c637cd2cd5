import { expect, test } from 'vitest'
import { useAppDatabase } from '#tests/setup/db'
import type * as Signatures from '#app/signatures/signatures.server'
import type * as Mail from '#app/mail/mail.server'

// Real Postgres. A recipient gets at most 5 non-receipt transactional emails a day, counted on
// the normalized address across all campaigns; receipts are never capped.

const db = useAppDatabase()
const SLUG = 'stop-red-notice-detentions'

function form(fields: Record<string, string>) {
  const fd = new FormData()
  for (const [k, v] of Object.entries(fields)) fd.set(k, v)
  return fd
}

test('six sign-ups from one mailbox in a day queue 5 confirmations; a receipt still goes', async () => {
  const { signFromForm } = (await import('#app/signatures/signatures.server')) as typeof Signatures
  const { queueEmail } = (await import('#app/mail/mail.server')) as typeof Mail
  // six addresses Gmail delivers to one mailbox, half through the burst check's transaction
  const addresses = [
    'cap.person@gmail.com',
    'capperson+a@gmail.com',
    'c.a.p.person+b@gmail.com',
    'capperson+c@googlemail.com',
    'cap.person+d@gmail.com',
    'capperson+e@gmail.com',
  ]
  for (const [i, email] of addresses.entries()) {
    const outcome = await signFromForm(
      SLUG,
      form({ firstName: 'Cap', lastName: 'Person', email, zip: '30303' }),
      { requestLocale: 'en', ip: i % 2 ? `198.51.100.${i}` : null },
    )
    // every sign-up succeeds for the signer
    expect(outcome.kind === 'done' && outcome.result.status).toBe('signed')
  }
  const confirmations = await db.sql<{ toAddress: string }[]>`
    select to_address from outbound_emails where template = 'confirm-signature'
      and to_address = any(${addresses}) order by id`
  expect(confirmations.map((r) => r.toAddress)).toEqual(addresses.slice(0, 5))

  // a receipt is not counted against the cap, nor refused by it
  await queueEmail(db.sql, {
    kind: 'transactional',
    template: 'letter-receipt',
    to: 'cap.person+receipt@gmail.com',
    subject: 'Your letter was delivered',
    html: '<p>Delivered</p>',
    text: 'Delivered',
    idempotencyKey: 'letter-receipt/cap-test',
  })
  const [{ n }] = await db.sql<{ n: number }[]>`
    select count(*)::int as n from outbound_emails where template = 'letter-receipt'
      and to_address = 'cap.person+receipt@gmail.com'`
  expect(n).toBe(1)

  // a day later, the mailbox may get confirmations again
  await db.sql`update outbound_emails set created_at = created_at - interval '25 hours'
    where to_address = any(${addresses})`
  const later = await signFromForm(
    SLUG,
    form({ firstName: 'Cap', lastName: 'Person', email: 'capperson+f@gmail.com', zip: '30303' }),
    { requestLocale: 'en', ip: null },
  )
  expect(later.kind === 'done' && later.result.status).toBe('signed')
  const [{ m }] = await db.sql<{ m: number }[]>`
    select count(*)::int as m from outbound_emails where to_address = 'capperson+f@gmail.com'`
  expect(m).toBe(1)
})
