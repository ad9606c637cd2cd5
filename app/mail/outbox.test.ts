import '#tests/setup/app-env'
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest'
import { getSql } from '#db/client'
import { resetEnv } from '#app/utils/env.server'
import { closeTransport, queueEmail, sendQueuedEmails } from '#app/mail/mail.server'
import { loader } from '#app/routes/admin.safety'
// Aliased: the react-hooks lint rule reads any top-level use*() call as a hook.
import { useAppDatabase as appDatabase } from '#tests/setup/db'
import { contextFor, signedInOrganizer } from '#tests/setup/organizers'
import { startSmtpSink, type SmtpSink } from '#tests/setup/smtp-sink'

// Real Postgres and a real SMTP server: the outbox gives up after 10 attempts or 48 hours, says
// why to organizers, and a worker whose lease ran out cannot overwrite the next worker's result.

appDatabase()
let sink: SmtpSink

beforeAll(async () => {
  sink = await startSmtpSink()
  process.env.SMTP_URL = sink.url
  resetEnv()
  closeTransport()
})
afterAll(async () => {
  closeTransport()
  await sink?.close()
})
beforeEach(() => sink.setMode('accept'))

async function queue(to: string, key: string) {
  await queueEmail(getSql(), {
    kind: 'transactional',
    template: 'letter-receipt',
    to,
    subject: 'Your letter was delivered',
    html: '<p>Delivered</p>',
    text: 'Delivered',
    idempotencyKey: key,
  })
  const [row] = await getSql()<{ id: string }[]>`
    select id::text from outbound_emails where to_address = ${to}`
  return row.id
}

type Row = {
  status: string
  attempts: number
  lastError: string | null
  failedAt: Date | null
  smtpResponse: string | null
}
async function row(id: string): Promise<Row> {
  const [r] = await getSql()<Row[]>`
    select status, attempts, last_error, failed_at, smtp_response
    from outbound_emails where id = ${id}`
  return r
}

/** Runs the sender until the row leaves the queue, skipping the backoff waits. */
async function sendUntilSettled(id: string, passes = 20) {
  for (let i = 0; i < passes; i++) {
    await getSql()`update outbound_emails set next_attempt_at = now() where id = ${id}`
    await sendQueuedEmails(getSql())
    if ((await row(id)).status !== 'queued') break
  }
  return row(id)
}

test('an email that keeps failing ends failed after 10 attempts, with its reason, shown to organizers', async () => {
  const id = await queue('retry.me@example.org', 'outbox-test/attempts')
  sink.setMode('tempfail')
  const settled = await sendUntilSettled(id)
  expect(settled).toMatchObject({ status: 'failed', attempts: 10 })
  expect(settled.lastError).toMatch(/10 attempts/)
  expect(settled.lastError).toMatch(/Service temporarily unavailable/)
  expect(settled.failedAt).toBeInstanceOf(Date)
  // failed is final: later passes send nothing
  sink.setMode('accept')
  await getSql()`update outbound_emails set next_attempt_at = now() where id = ${id}`
  await sendQueuedEmails(getSql())
  expect((await row(id)).status).toBe('failed')
  expect(sink.messages.filter((m) => m.to.includes('retry.me@example.org'))).toEqual([])

  // organizers with the safety page see it: template, the recipient's domain only, reason, time
  const { cookie } = await signedInOrganizer('organizer')
  const page = await loader({
    request: new Request('http://localhost/admin/safety', { headers: { Cookie: cookie } }),
    params: {},
    context: contextFor(),
  })
  expect(page.failedEmails).toContainEqual(
    expect.objectContaining({
      template: 'letter-receipt',
      recipientDomain: 'example.org',
      reason: settled.lastError,
    }),
  )
  expect(JSON.stringify(page.failedEmails)).not.toContain('retry.me')

  // the page, in Spanish
  process.env.RUN_WORKER = 'false'
  resetEnv()
  const { runServer } = await import('../../server/run')
  const server = await runServer({ port: 0, host: '127.0.0.1' })
  try {
    const res = await fetch(`${server.url}/admin/safety?lang=es`, { headers: { Cookie: cookie } })
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('Correos que no se pudieron enviar')
    expect(html).toContain('<td>Recibo de carta</td><td>example.org</td>')
    expect(html).not.toContain('retry.me')
  } finally {
    await server.close()
  }
})

test('an email still being retried after 48 hours ends failed, without another attempt', async () => {
  const id = await queue('old.one@example.org', 'outbox-test/age')
  await getSql()`update outbound_emails
    set created_at = now() - interval '49 hours', attempts = 2, last_error = '421 Try later'
    where id = ${id}`
  await sendQueuedEmails(getSql())
  const settled = await row(id)
  expect(settled).toMatchObject({ status: 'failed', attempts: 2 })
  expect(settled.lastError).toBe('Gave up after 48 hours: 421 Try later')
  expect(sink.messages.filter((m) => m.to.includes('old.one@example.org'))).toEqual([])
})

test('a row whose worker died on its last attempt ends failed, and is not sent again', async () => {
  const id = await queue('crashed@example.org', 'outbox-test/crashed')
  await getSql()`update outbound_emails
    set status = 'sending', attempts = 10, locked_at = now() - interval '10 minutes',
        last_error = '550 <crashed@example.org>: no such user'
    where id = ${id}`
  await sendQueuedEmails(getSql())
  const settled = await row(id)
  expect(settled).toMatchObject({ status: 'failed', attempts: 10 })
  expect(settled.lastError).toBe(
    'Gave up after 10 attempts: 550 <crashed@example.org>: no such user',
  )
  expect(sink.messages.filter((m) => m.to.includes('crashed@example.org'))).toEqual([])
  // organizers see the reason with the address cut to its domain
  const { getFailedEmails } = await import('#app/mail/mail.server')
  expect(await getFailedEmails(getSql())).toContainEqual(
    expect.objectContaining({
      recipientDomain: 'example.org',
      reason: 'Gave up after 10 attempts: 550 <…@example.org>: no such user',
    }),
  )
})

test('a worker whose lease was taken over cannot overwrite the new owner’s result', async () => {
  const id = await queue('lease@example.org', 'outbox-test/lease')
  // worker A claims the email and stalls mid-send
  const gate = sink.holdNext()
  const workerA = sendQueuedEmails(getSql())
  await gate.reached
  expect((await row(id)).status).toBe('sending')
  // its lease runs out; worker B takes the row over and delivers it
  await getSql()`update outbound_emails set locked_at = now() - interval '10 minutes' where id = ${id}`
  await sendQueuedEmails(getSql())
  const delivered = await row(id)
  expect(delivered).toMatchObject({ status: 'sent', attempts: 2, lastError: null })
  // then A's attempt fails late: its result must not replace B's
  gate.release('permfail')
  await workerA
  expect(await row(id)).toEqual(delivered)
})
