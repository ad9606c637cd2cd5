import '#tests/setup/app-env'
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest'
import { getSql } from '#db/client'
import { resetEnv } from '#app/utils/env.server'
import { closeTransport, sendQueuedEmails } from '#app/mail/mail.server'
import { readUnsubscribeToken, unsubscribeSupporter } from '#app/safety/unsubscribe.server'
import { createOrganizer } from '#app/organizers/organizers.server'
import type { CurrentOrganizer } from '#app/organizers/auth.server'
import { RED_NOTICE_LETTER_SLUG, RED_NOTICE_PETITION_SLUG } from '#db/seed/red-notice'
// Aliased: the react-hooks lint rule reads any top-level use*() call as a hook.
import { useAppDatabase as appDatabase } from '#tests/setup/db'
import { startSmtpSink, type SmtpSink } from '#tests/setup/smtp-sink'
import {
  cancelMailingSend,
  createMailing,
  getMailingPage,
  PACING_WINDOW_SECONDS,
  releaseMailings,
  sendMailing,
  sendTestMailing,
} from './mailings.server'
import { MailingSchema, type MailingInput } from './schema'

// Real Postgres and a real SMTP server: a mailing is paced by MAIL_RATE_PER_MINUTE, reaches each
// recipient in their language with RFC 8058 headers, skips the suppressed, stops on cancel, and
// a hard bounce suppresses the address for list mail.

appDatabase()
let sink: SmtpSink
let organizer: CurrentOrganizer
let petitionId = ''
let letterId = ''

beforeAll(async () => {
  sink = await startSmtpSink()
  process.env.SMTP_URL = sink.url
  process.env.ORG_POSTAL_ADDRESS = 'Writ Action, 500 Test Ave, Atlanta, GA 30303'
  resetEnv()
  closeTransport()
  const sql = getSql()
  const created = await createOrganizer(sql, {
    email: 'mailer@example.org',
    password: 'correct horse battery staple',
    role: 'organizer',
  })
  organizer = { id: created.id, email: 'mailer@example.org', name: '', role: 'organizer' }
  const rows = await sql<{ id: string; slug: string }[]>`
    select id, slug from campaigns where slug in (${RED_NOTICE_PETITION_SLUG}, ${RED_NOTICE_LETTER_SLUG})`
  petitionId = rows.find((r) => r.slug === RED_NOTICE_PETITION_SLUG)!.id
  letterId = rows.find((r) => r.slug === RED_NOTICE_LETTER_SLUG)!.id
})
afterAll(async () => {
  closeTransport()
  await sink?.close()
})
beforeEach(async () => {
  sink.setMode('accept')
  sink.messages.length = 0
  // each test starts with the pacing budget whole
  await windowPasses()
})

/** `n` supporters who signed `campaignId`, confirmed and opted in; every other one speaks Spanish. */
async function addSupporters(
  prefix: string,
  n: number,
  campaignId: string,
  over: { confirmed?: boolean; optIn?: boolean; held?: boolean; state?: string } = {},
) {
  const sql = getSql()
  await sql`
    with s as (
      insert into supporters (email, locale, list_opt_in, state)
      select ${prefix} || i || '@list.example', case when i % 2 = 0 then 'es' else 'en' end,
             ${over.optIn ?? true}, ${over.state ?? 'GA'}
      from generate_series(1, ${n}) i
      returning id, email
    )
    insert into signatures (campaign_id, supporter_id, ref_code, confirmed_at, held, state,
                            congressional_district)
    select ${campaignId}, s.id, 'r-' || s.email,
           case when ${over.confirmed ?? true} then now() end, ${over.held ?? false},
           ${over.state ?? 'GA'}, '5'
    from s`
}

function input(fields: Record<string, string | string[]>): MailingInput {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) {
    for (const one of Array.isArray(v) ? v : [v]) form.append(k, one)
  }
  const parsed = MailingSchema.safeParse(
    Object.fromEntries(
      [...new Set(form.keys())].map((k) => {
        const all = form.getAll(k)
        return [k, all.length > 1 ? all : all[0]]
      }),
    ),
  )
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues))
  return parsed.data
}

const copy = {
  intent: 'save',
  subjectEn: 'The hearing is Tuesday',
  bodyEn: 'Thank you. **Call your senator** before [the hearing](https://example.org/hearing).',
  subjectEs: 'La audiencia es el martes',
  bodyEs: 'Gracias. **Llama a tu senador** antes de [la audiencia](https://example.org/hearing).',
}

/** The mailing's emails in the outbox (any status). */
async function listQueued(mailingId: string): Promise<number> {
  const [row] = await getSql()<{ n: number }[]>`
    select count(*)::int as n from outbound_emails o
    join mailing_recipients r on r.message_id = o.message_id
    where r.mailing_id = ${mailingId}`
  return row!.n
}

/** Moves every list email's queue time back past the pacing window, as if it had elapsed. */
async function windowPasses() {
  await getSql()`
    update outbound_emails set created_at = created_at - make_interval(secs => ${PACING_WINDOW_SECONDS + 1})
    where kind = 'list'`
}

async function drainOutbox() {
  while ((await sendQueuedEmails(getSql(), { batchSize: 200 })) > 0) {
    // keep sending
  }
}

test('a 2,000-recipient mailing is paced by MAIL_RATE_PER_MINUTE, in each language, with RFC 8058 headers; the suppressed get nothing', async () => {
  const sql = getSql()
  await addSupporters('m', 2000, petitionId)
  // Suppressed or outside the audience: each must get nothing.
  await addSupporters('unsub', 3, petitionId)
  await addSupporters('erased', 3, petitionId)
  await addSupporters('bounced', 3, petitionId)
  await addSupporters('unconfirmed', 3, petitionId, { confirmed: false })
  await addSupporters('noconsent', 3, petitionId, { optIn: false })
  await addSupporters('held', 3, petitionId, { held: true })
  await addSupporters('othercampaign', 3, letterId)
  const [unsub] = await sql<
    { id: string }[]
  >`select id from supporters where email = 'unsub1@list.example'`
  for (const r of await sql<
    { id: string }[]
  >`select id from supporters where email like 'unsub%'`) {
    await unsubscribeSupporter(sql, r.id)
  }
  await sql`update supporters set erased_at = now() where email like 'erased%'`
  await sql`update supporters set hard_bounced_at = now() where email like 'bounced%'`
  expect(unsub).toBeDefined()

  const id = await createMailing(organizer, input({ ...copy, campaign: petitionId }))
  const page = await getMailingPage(id)
  expect(page!.audienceCount).toBe(2000)
  expect(page!.preview.map((p) => p.locale)).toEqual(['en', 'es'])
  expect(page!.preview[0]!.bodyHtml).toContain('<strong>Call your senator</strong>')

  // 6,000 a minute: 1,000 per 10-second window.
  process.env.MAIL_RATE_PER_MINUTE = '6000'
  resetEnv()
  try {
    expect(await sendMailing(organizer, id, null)).toEqual({
      kind: 'scheduled',
      at: null,
      recipients: 2000,
    })
    // The window's budget, and not one more, enters the outbox however often the worker passes.
    while ((await releaseMailings(sql)) > 0) {
      // release until the budget stops it
    }
    expect(await listQueued(id)).toBe(1000)
    expect(await releaseMailings(sql)).toBe(0)
    expect(await listQueued(id)).toBe(1000)
    await windowPasses()
    while ((await releaseMailings(sql)) > 0) {
      // the next window
    }
    expect(await listQueued(id)).toBe(2000)
    await windowPasses()
    expect(await releaseMailings(sql)).toBe(0)
  } finally {
    delete process.env.MAIL_RATE_PER_MINUTE
    resetEnv()
  }

  await drainOutbox()
  const got = sink.messages.filter((m) => m.subject !== '' && m.to[0]!.endsWith('@list.example'))
  expect(got).toHaveLength(2000)
  const addresses = new Set(got.map((m) => m.to[0]))
  expect(addresses.size).toBe(2000)
  for (const prefix of [
    'unsub',
    'erased',
    'bounced',
    'unconfirmed',
    'noconsent',
    'held',
    'othercampaign',
  ]) {
    expect([...addresses].filter((a) => a!.startsWith(prefix))).toEqual([])
  }
  const es = got.find((m) => m.to[0] === 'm2@list.example')!
  const en = got.find((m) => m.to[0] === 'm1@list.example')!
  expect(es.subject).toBe('La audiencia es el martes')
  expect(es.text).toContain('Darte de baja con un clic')
  expect(en.subject).toBe('The hearing is Tuesday')
  expect(en.html).toContain('<strong>Call your senator</strong>')
  expect(en.html).toContain('href="https://example.org/hearing"')
  // RFC 8058: one-click unsubscribe, to this recipient's own link, also shown in the mail.
  expect(en.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click')
  const link = /^<(https?:\/\/[^>]+\/unsubscribe\/([^>]+))>$/.exec(en.headers['list-unsubscribe']!)
  expect(link).not.toBeNull()
  const [m1] = await sql<
    { id: string }[]
  >`select id from supporters where email = 'm1@list.example'`
  expect(readUnsubscribeToken(link![2]!)).toBe(m1!.id)
  expect(en.html).toContain(`href="${link![1]}"`)
  expect(en.text).toContain('Writ Action, 500 Test Ave, Atlanta, GA 30303')
  // No tracking: no images at all, and links go where the organizer wrote.
  expect(en.html).not.toMatch(/<img/i)

  const after = await getMailingPage(id)
  expect(after!.mailing.status).toBe('sent')
  expect(after!.stats).toMatchObject({ recipients: 2000, sent: 2000, failed: 0, pending: 0 })
  await unsubscribeSupporter(sql, m1!.id)
  expect((await getMailingPage(id))!.stats.unsubscribes).toBe(1)
  const audit = await sql<{ action: string }[]>`
    select action from audit_log where subject_id = ${id} order by id`
  expect(audit.map((a) => a.action)).toEqual(['mailing.create', 'mailing.send'])
})

test('cancel stops what is not yet sent; a supporter who unsubscribes mid-send gets nothing', async () => {
  const sql = getSql()
  await addSupporters('c', 300, letterId, { state: 'TX' })
  const id = await createMailing(
    organizer,
    input({ ...copy, campaign: letterId, states: 'tx', locales: ['en', 'es'] }),
  )
  process.env.MAIL_RATE_PER_MINUTE = '600' // 100 per window
  resetEnv()
  try {
    await sendMailing(organizer, id, null)
    await releaseMailings(sql)
    expect(await listQueued(id)).toBe(100)
    // Someone whose email is queued but not yet sent unsubscribes: it is not sent.
    const [late] = await sql<{ id: string }[]>`
      select r.supporter_id as id from mailing_recipients r
      where r.mailing_id = ${id} and r.status = 'queued' order by r.message_id limit 1`
    await unsubscribeSupporter(sql, late!.id)
    // 40 of the first 100 go out; then the organizer cancels.
    await sendQueuedEmails(sql, { batchSize: 40 })
    expect(await cancelMailingSend(organizer, id)).toEqual({ kind: 'canceled' })
    await windowPasses()
    expect(await releaseMailings(sql)).toBe(0)
  } finally {
    delete process.env.MAIL_RATE_PER_MINUTE
    resetEnv()
  }
  await drainOutbox()
  expect(sink.messages.filter((m) => m.to[0]!.startsWith('c'))).toHaveLength(40)
  const page = await getMailingPage(id)
  expect(page!.mailing.status).toBe('canceled')
  expect(page!.stats).toMatchObject({ recipients: 300, sent: 40, pending: 0, canceled: 200 })
  expect(page!.stats.suppressed).toBe(60)
  expect(await cancelMailingSend(organizer, id)).toEqual({ kind: 'not_cancelable' })
})

test('a 5xx from the relay is a hard bounce: that address gets no more list mail', async () => {
  const sql = getSql()
  await addSupporters('hb', 2, petitionId, { state: 'WY' })
  const first = await createMailing(
    organizer,
    input({ ...copy, campaign: petitionId, states: 'WY' }),
  )
  await sendMailing(organizer, first, null)
  await releaseMailings(sql)
  sink.setMode('permfail')
  await drainOutbox()
  sink.setMode('accept')
  const bounced = await sql<{ email: string }[]>`
    select email from supporters where email like 'hb%' and hard_bounced_at is not null order by email`
  expect(bounced.map((b) => b.email)).toEqual(['hb1@list.example', 'hb2@list.example'])
  expect((await getMailingPage(first))!.stats).toMatchObject({ sent: 0, failed: 2 })

  const second = await createMailing(
    organizer,
    input({ ...copy, campaign: petitionId, states: 'WY' }),
  )
  expect((await getMailingPage(second))!.audienceCount).toBe(0)
  expect(await sendMailing(organizer, second, null)).toEqual({ kind: 'no_audience' })
})

test('a test send goes to the organizer alone, in each language written; scheduled mail waits for its time', async () => {
  const sql = getSql()
  await addSupporters('sched', 4, petitionId, { state: 'NM' })
  const id = await createMailing(organizer, input({ ...copy, campaign: petitionId, states: 'NM' }))
  expect(await sendTestMailing(organizer, id)).toEqual({
    kind: 'sent',
    to: 'mailer@example.org',
    languages: 2,
  })
  await drainOutbox()
  const tests = sink.messages.filter((m) => m.to[0] === 'mailer@example.org')
  expect(tests.map((m) => m.subject).sort()).toEqual([
    '[Prueba] La audiencia es el martes',
    '[Test] The hearing is Tuesday',
  ])
  expect(sink.messages.filter((m) => m.to[0]!.startsWith('sched'))).toHaveLength(0)

  const later = new Date(Date.now() + 3600_000)
  expect(await sendMailing(organizer, id, later)).toMatchObject({
    kind: 'scheduled',
    recipients: 4,
  })
  expect(await releaseMailings(sql)).toBe(0)
  expect((await getMailingPage(id))!.mailing.status).toBe('scheduled')
  await sql`update mailings set scheduled_at = now() - interval '1 second' where id = ${id}`
  expect(await releaseMailings(sql)).toBe(4)
  await drainOutbox()
  expect(sink.messages.filter((m) => m.to[0]!.startsWith('sched'))).toHaveLength(4)
})
