import '#tests/setup/app-env'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { getSql } from '#db/client'
import { resetEnv } from '#app/utils/env.server'
import { closeTransport, sendQueuedEmails } from '#app/mail/mail.server'
import { resetDeliveryProcessState, runDeliveries } from '#app/delivery/delivery.server'
import { sweepReceipts } from '#app/delivery/receipts.server'
import { getLetterCampaignForWriting, getLetterStatus } from '#app/letters/letters.server'
import { sendLetter } from '#app/letters/submit-letter.server'
import { SignSchema } from '#app/signatures/schema'
import { decideSignature } from '#app/safety/review.server'
import { queueSignatureConfirmation } from '#app/signatures/signatures.server'
import { RED_NOTICE_LETTER_SLUG } from '#db/seed/red-notice'
// Aliased: the react-hooks lint rule reads any top-level use*() call as a hook.
import { useAppDatabase as appDatabase } from '#tests/setup/db'
import { signedInOrganizer } from '#tests/setup/organizers'
import { startSmtpSink, type SmtpSink } from '#tests/setup/smtp-sink'

// A held letter stays held by its own state: deleting its signature in review cancels it, and
// the worker never sends it; releasing the signature releases the letter.

appDatabase()
let sink: SmtpSink

beforeAll(async () => {
  sink = await startSmtpSink()
  process.env.SMTP_URL = sink.url
  process.env.CWC_API_KEY = ''
  resetEnv()
  closeTransport()
  resetDeliveryProcessState()
})

afterAll(async () => {
  closeTransport()
  await sink?.close()
})

/** A letter from a disposable address (held for review), to the campaign's named official. */
async function heldLetter(email: string) {
  const writing = (await getLetterCampaignForWriting(RED_NOTICE_LETTER_SLUG, 'en'))!
  const outcome = await sendLetter({
    campaign: { id: writing.campaign.id, slug: RED_NOTICE_LETTER_SLUG, headline: 'Red notice' },
    writing,
    constituent: {
      prefix: 'Ms.',
      firstName: 'Bea',
      lastName: 'Bot',
      email,
      street: '9 Oak St',
      city: 'Fresno',
      state: 'CA',
      zip: '93701',
    },
    submitted: {},
    signer: SignSchema.parse({ firstName: 'Bea', lastName: 'Bot', email, zip: '93701' }),
    targets: writing.customTargets,
    locale: 'en',
    ip: '192.0.2.77',
  })
  if (outcome.status !== 'sent') throw new Error(outcome.status)
  const [row] = await getSql()<{ signatureId: string; held: boolean }[]>`
    select s.id::text as signature_id, s.held from letters l join signatures s on s.id = l.signature_id
    where l.id = ${outcome.letter.letterId}`
  expect(row!.held).toBe(true)
  return { ...outcome.letter, signatureId: row!.signatureId }
}

async function deliveriesOf(letterId: string) {
  return getSql()<{ id: number; status: string; finishedAt: Date | null }[]>`
    select id, status, finished_at from deliveries where letter_id = ${letterId} order by id`
}

async function drain() {
  for (let i = 0; i < 20; i++) {
    const handled = await runDeliveries(getSql(), 'review-test')
    const receipts = await sweepReceipts(getSql())
    const mailed = await sendQueuedEmails(getSql())
    if (handled === 0 && receipts === 0 && mailed === 0) return
  }
}

test('deleting a held signature in review cancels its letter, which is never sent', async () => {
  const { organizer } = await signedInOrganizer('organizer')
  const letter = await heldLetter('held-delete@mailinator.com')
  await drain()
  expect((await deliveriesOf(letter.letterId)).map((d) => d.status)).toEqual(['queued'])

  expect(
    await decideSignature(organizer, letter.signatureId, 'delete', {
      queueConfirmation: queueSignatureConfirmation,
    }),
  ).toBe(true)
  await drain()
  const cancelled = await deliveriesOf(letter.letterId)
  expect(cancelled.map((d) => d.status)).toEqual(['cancelled'])
  expect(cancelled[0]!.finishedAt).toBeInstanceOf(Date)
  const events = await getSql()<{ fromStatus: string; toStatus: string; evidence: unknown }[]>`
    select from_status, to_status, evidence from delivery_events
    where delivery_id = ${cancelled[0]!.id} order by id`
  expect(events.at(-1)).toEqual({
    fromStatus: 'queued',
    toStatus: 'cancelled',
    evidence: { reason: 'signature_deleted_in_review' },
  })

  expect(
    sink.messages.filter((m) => m.subject.includes('Bea') || m.text.includes('Bea Bot')),
  ).toEqual([])
  expect(sink.messages.filter((m) => m.to.includes('dhs-secretary@demo.writ.example'))).toEqual([])
  // nor a receipt to the address review judged a bot
  const receipts = await getSql()`
    select 1 from outbound_emails
    where template = 'letter-receipt' and to_address = 'held-delete@mailinator.com'`
  expect(receipts).toHaveLength(0)

  // The writer's status page shows it as final: cancelled, with a short explanation.
  const status = await getLetterStatus(letter.statusToken, 'es')
  expect(status?.complete).toBe(true)
  expect(status?.offices).toEqual([
    expect.objectContaining({ statusKey: 'cancelled', status: 'Cancelada' }),
  ])
  expect(status?.offices[0]!.detail).not.toBe('')
  const en = await getLetterStatus(letter.statusToken, 'en')
  expect(en?.offices[0]).toMatchObject({ status: 'Cancelled' })
})

test('a held letter stays held even when its signature row is gone, and releasing sends it', async () => {
  const { organizer } = await signedInOrganizer('organizer')
  const kept = await heldLetter('held-release@mailinator.com')
  await drain()
  expect((await deliveriesOf(kept.letterId)).map((d) => d.status)).toEqual(['queued'])

  expect(
    await decideSignature(organizer, kept.signatureId, 'release', {
      queueConfirmation: queueSignatureConfirmation,
    }),
  ).toBe(true)
  const [letter] = await getSql()<{ held: boolean }[]>`
    select held from letters where id = ${kept.letterId}`
  expect(letter!.held).toBe(false)
  await drain()
  expect((await deliveriesOf(kept.letterId)).map((d) => d.status)).toEqual(['delivered'])
})
