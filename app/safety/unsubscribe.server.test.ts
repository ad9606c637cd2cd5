import { afterAll, beforeAll, expect, test } from 'vitest'
import { resetEnv } from '#app/utils/env.server'
import { createTestDatabase, type TestDatabase } from '#tests/setup/db'
import { startSmtpSink, type SmtpSink } from '#tests/setup/smtp-sink'
import { runServer, type RunningServer } from '../../server/run'

let db: TestDatabase & { drop(): Promise<void> }
let sink: SmtpSink
let server: RunningServer

beforeAll(async () => {
  db = await createTestDatabase()
  sink = await startSmtpSink()
  Object.assign(process.env, { DATABASE_URL: db.url, SMTP_URL: sink.url, RUN_WORKER: 'true' })
  resetEnv()
  server = await runServer({ port: 0, host: '127.0.0.1' })
})
afterAll(async () => {
  await server?.close()
  await sink?.close()
  await db?.drop()
})

async function supporterWhoSigned(email: string) {
  const [campaign] = await db.sql<
    { id: string }[]
  >`select id from campaigns where kind = 'petition' limit 1`
  const [s] = await db.sql<{ id: string }[]>`
    insert into supporters (email, first_name, last_name, list_opt_in) values (${email}, 'Ana', 'Ruiz', true)
    returning id`
  await db.sql`
    insert into signatures (campaign_id, supporter_id, ref_code) values (${campaign.id}, ${s.id}, ${`r-${s.id.slice(0, 8)}`})`
  return { campaignId: campaign.id, supporterId: s.id }
}

test('list email carries one-click unsubscribe; after the POST no list email reaches the address', async () => {
  const { queueCampaignUpdate } = await import('#app/safety/list-email.server')
  const { getSql } = await import('#db/client')
  const { campaignId } = await supporterWhoSigned('ana@example.org')
  const copy = { en: { subject: 'Update one', body: 'The bill has a hearing.' } }
  expect(await queueCampaignUpdate(getSql(), { campaignId, updateKey: 'u1', copy })).toBe(1)

  const first = await sink.waitFor(
    (m) => m.to.includes('ana@example.org') && m.subject === 'Update one',
  )
  expect(first.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click')
  const link = /<([^>]+)>/.exec(first.headers['list-unsubscribe'] ?? '')?.[1]
  expect(link).toMatch(/\/unsubscribe\/[\w-]+\.[\w-]+$/)
  expect(first.text).toContain('Washington, DC') // the postal address in the footer

  // What a mail provider sends for RFC 8058: no Origin, no cookies, a form body.
  const path = new URL(link!).pathname
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
  })
  expect(res.status).toBe(200)
  const [row] = await db.sql<{ unsubscribedAt: Date | null; listOptIn: boolean }[]>`
    select unsubscribed_at, list_opt_in from supporters where email = 'ana@example.org'`
  expect(row.unsubscribedAt).not.toBeNull()
  expect(row.listOptIn).toBe(false)

  // A later update: nothing queued for them, nothing at the sink.
  await queueCampaignUpdate(getSql(), {
    campaignId,
    updateKey: 'u2',
    copy: { en: { subject: 'Update two', body: 'x' } },
  })
  const marker = await supporterWhoSigned('ben@example.org')
  await queueCampaignUpdate(getSql(), {
    campaignId: marker.campaignId,
    updateKey: 'u3',
    copy: { en: { subject: 'Update three', body: 'y' } },
  })
  await sink.waitFor((m) => m.to.includes('ben@example.org') && m.subject === 'Update three')
  expect(
    sink.messages.filter((m) => m.to.includes('ana@example.org')).map((m) => m.subject),
  ).toEqual(['Update one'])
})

test('a forged unsubscribe token is a 404 and changes nothing; GET never unsubscribes', async () => {
  const { unsubscribeToken } = await import('#app/safety/unsubscribe.server')
  const { supporterId } = await supporterWhoSigned('cy@example.org')
  const token = unsubscribeToken(supporterId)
  const get = await fetch(`${server.url}/unsubscribe/${token}`)
  expect(get.status).toBe(200)
  const forged = token.slice(0, -3) + 'abc'
  const post = await fetch(`${server.url}/unsubscribe/${forged}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'x=1',
  })
  expect(post.status).toBe(404)
  const [row] = await db.sql<
    { unsubscribedAt: Date | null }[]
  >`select unsubscribed_at from supporters where id = ${supporterId}`
  expect(row.unsubscribedAt).toBeNull()
})
