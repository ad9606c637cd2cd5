import '#tests/setup/app-env'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { getSql } from '#db/client'
import { resetEnv } from '#app/utils/env.server'
import { closeTransport, sendQueuedEmails } from '#app/mail/mail.server'
import { resetDeliveryProcessState, runDeliveries } from '#app/delivery/delivery.server'
import { sweepReceipts } from '#app/delivery/receipts.server'
import { recurring } from '#app/jobs/processors.server'
import { getLetterCampaignForWriting, getLetterStatus } from '#app/letters/letters.server'
import { sendLetter } from '#app/letters/submit-letter.server'
import { SignSchema } from '#app/signatures/schema'
import { confirmSignature } from '#app/signatures/signatures.server'
import { RED_NOTICE_LETTER_SLUG } from '#db/seed/red-notice'
// Aliased: the react-hooks lint rule reads any top-level use*() call as a hook.
import { useAppDatabase as appDatabase } from '#tests/setup/db'
import { startSmtpSink, type SmtpSink } from '#tests/setup/smtp-sink'

// "Send letters only after the writer confirms their email": the letter waits for the
// confirmation link, and is cancelled after 7 days without it. And a receipt to an address that
// was never confirmed carries no letter text.

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

const SUBJECT = 'Stop the red notice arrests now'
const BODY_WORDS = 'Quetzal-marigold-lantern'

async function requireConfirmation(on: boolean) {
  await getSql()`update campaigns set letter_requires_confirmation = ${on}
                 where slug = ${RED_NOTICE_LETTER_SLUG}`
}

/** A letter to the campaign's named official (an email office), from a new writer. */
async function write(email: string) {
  const writing = (await getLetterCampaignForWriting(RED_NOTICE_LETTER_SLUG, 'en'))!
  const who = { firstName: 'Rosa', lastName: 'Mendez', email }
  const outcome = await sendLetter({
    campaign: { id: writing.campaign.id, slug: RED_NOTICE_LETTER_SLUG, headline: 'Red notice' },
    writing,
    constituent: {
      prefix: 'Ms.',
      ...who,
      street: '5 Pine St',
      city: 'Fresno',
      state: 'CA',
      zip: '93701',
    },
    submitted: {
      subject: SUBJECT,
      message: `Dear {{targetTitle}} {{targetName}},\n\n${BODY_WORDS}: please act.\n\n{{firstName}}`,
    },
    signer: SignSchema.parse({ ...who, zip: '93701' }),
    targets: writing.customTargets,
    locale: 'en',
    ip: '192.0.2.88',
  })
  if (outcome.status !== 'sent') throw new Error(outcome.status)
  return outcome.letter
}

async function statuses(letterId: string) {
  const rows = await getSql()<{ status: string }[]>`
    select status from deliveries where letter_id = ${letterId} order by id`
  return rows.map((r) => r.status)
}

async function drain() {
  for (let i = 0; i < 20; i++) {
    const handled = await runDeliveries(getSql(), 'confirmation-test')
    const receipts = await sweepReceipts(getSql())
    const mailed = await sendQueuedEmails(getSql())
    if (handled === 0 && receipts === 0 && mailed === 0) return
  }
}

/** The confirmation link's token, from the confirmation email as it was mailed. */
function confirmToken(email: string) {
  const mail = sink.messages.find((m) => m.to.includes(email) && /\/confirm\//.test(m.text))
  return /\/confirm\/([A-Za-z0-9_-]+)/.exec(mail!.text)![1]!
}

const receiptTo = (email: string) =>
  sink.messages.find((m) => m.to.includes(email) && !/\/confirm\//.test(m.text))

test('with the option on, a letter waits for its writer to confirm, then goes out', async () => {
  await requireConfirmation(true)
  const email = 'waits@example.org'
  const letter = await write(email)
  await drain()
  expect(await statuses(letter.letterId)).toEqual(['queued'])
  expect(sink.messages.filter((m) => m.to.includes('dhs-secretary@demo.writ.example'))).toEqual([])
  // the status page says what it waits for
  const waiting = await getLetterStatus(letter.statusToken, 'es')
  expect(waiting?.offices[0]).toMatchObject({ statusKey: 'queued' })
  expect(waiting?.offices[0]!.detail).toMatch(/confirmes tu dirección de correo/)

  const confirmed = await confirmSignature(confirmToken(email))
  expect(confirmed.ok).toBe(true)
  const [row] = await getSql()<{ awaitingConfirmation: boolean }[]>`
    select awaiting_confirmation from letters where id = ${letter.letterId}`
  expect(row!.awaitingConfirmation).toBe(false)
  await drain()
  expect(await statuses(letter.letterId)).toEqual(['delivered'])
  const sent = sink.messages.find((m) => m.to.includes('dhs-secretary@demo.writ.example'))
  // an official gets the organization's letter, signed by the writer (ADR 0904)
  expect(sent?.text).toContain('Dear Mr. or Madam Secretary,')
  expect(sent?.text).toContain('Rosa Mendez')
  // the writer confirmed: their receipt carries the letter as it went
  expect(receiptTo(email)?.text).toContain('Dear Mr. or Madam Secretary,')
})

test('a letter still waiting 7 days after it was written ends cancelled by the recurring job', async () => {
  await requireConfirmation(true)
  const letter = await write('never-confirms@example.org')
  const fresh = await write('confirms-later@example.org')
  await getSql()`update deliveries set created_at = now() - interval '8 days'
                 where letter_id = ${letter.letterId}`
  const job = recurring.find((j) => j.name === 'unconfirmed-letters-expiry')
  expect(job).toBeDefined()
  await job!.run(getSql())

  expect(await statuses(letter.letterId)).toEqual(['cancelled'])
  expect(await statuses(fresh.letterId)).toEqual(['queued']) // still inside its 7 days
  const events = await getSql()<{ fromStatus: string; toStatus: string; evidence: unknown }[]>`
    select e.from_status, e.to_status, e.evidence from delivery_events e
    join deliveries d on d.id = e.delivery_id
    where d.letter_id = ${letter.letterId} order by e.id`
  expect(events.at(-1)).toEqual({
    fromStatus: 'queued',
    toStatus: 'cancelled',
    evidence: { reason: 'not_confirmed' },
  })
  const status = await getLetterStatus(letter.statusToken, 'en')
  expect(status?.offices[0]).toMatchObject({ statusKey: 'cancelled', status: 'Cancelled' })
  expect(status?.offices[0]!.detail).toMatch(/not confirmed/)

  // confirming afterwards does not bring a cancelled letter back
  await drain()
  await confirmSignature(confirmToken('never-confirms@example.org'))
  await drain()
  expect(await statuses(letter.letterId)).toEqual(['cancelled'])
})

test('a receipt to an address that was never confirmed carries no letter text', async () => {
  await requireConfirmation(false)
  const email = 'unconfirmed-receipt@example.org'
  const letter = await write(email)
  await drain()
  expect(await statuses(letter.letterId)).toEqual(['delivered']) // the option is off
  const receipt = receiptTo(email)
  expect(receipt).toBeDefined()
  expect(receipt!.text).toContain('Secretary') // the offices and their status, still
  // the official got the organization's letter (ADR 0904); neither its text nor the writer's is here
  for (const part of [receipt!.subject, receipt!.text, receipt!.html]) {
    expect(part).not.toContain(BODY_WORDS)
    expect(part).not.toContain(SUBJECT)
    expect(part).not.toContain('Dear Mr. or Madam Secretary')
  }
  const [outbox] = await getSql()<{ subject: string; html: string; textBody: string }[]>`
    select subject, html, text_body from outbound_emails
    where template = 'letter-receipt' and to_address = ${email}`
  expect(JSON.stringify(outbox)).not.toContain(BODY_WORDS)
  expect(JSON.stringify(outbox)).not.toContain('Dear Mr. or Madam Secretary')
})
