import http from 'node:http'
import twilio from 'twilio'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'

vi.hoisted(() => {
  process.env.DATABASE_URL ??= 'postgres://placeholder@127.0.0.1:1/none'
})

import { action as startAction } from '#app/routes/c.$slug_.call._index'
import { action as callAction, loader as callLoader } from '#app/routes/c.$slug_.call.$token._index'
import { action as twilioAction } from '#app/routes/calls.twilio.$session.$step'
import { resetEnv } from '#app/utils/env.server'
import { getSql } from '#db/client'
import { RED_NOTICE_CALL_SLUG } from '#db/seed/red-notice-call'
import { startFakeTwilio, type FakeTwilio } from '../../server/fakes/twilio'
import { useAppDatabase } from '#tests/setup/db'

// Patch-through against the local fake Twilio, which plays each call out against Writ's own
// TwiML routes with real X-Twilio-Signature headers. The routes are served over loopback HTTP
// (the app's Twilio callback route and nothing else), at the PUBLIC_URL the signatures cover.

useAppDatabase()
const SLUG = RED_NOTICE_CALL_SLUG
let fake: FakeTwilio
let callbacks: http.Server
let publicUrl = ''

beforeAll(async () => {
  fake = await startFakeTwilio()
  callbacks = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', publicUrl)
      const m = /^\/calls\/twilio\/([^/]+)\/([^/]+)$/.exec(url.pathname)
      if (!m) {
        res.writeHead(404).end()
        return
      }
      const request = new Request(url, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks),
      })
      const response = await twilioAction({
        request,
        params: { session: m[1], step: m[2] },
        context: { cspNonce: '' },
      })
      res.writeHead(response.status, Object.fromEntries(response.headers))
      res.end(await response.text())
    })
  })
  await new Promise<void>((r) => callbacks.listen(0, '127.0.0.1', r))
  publicUrl = `http://127.0.0.1:${(callbacks.address() as { port: number }).port}`
  Object.assign(process.env, {
    PUBLIC_URL: publicUrl,
    TWILIO_ACCOUNT_SID: fake.accountSid,
    TWILIO_AUTH_TOKEN: fake.authToken,
    TWILIO_FROM_NUMBER: fake.fromNumber,
    TWILIO_API_BASE: fake.url,
  })
  resetEnv()
})
afterAll(async () => {
  for (const k of [
    'TWILIO_ACCOUNT_SID',
    'TWILIO_AUTH_TOKEN',
    'TWILIO_FROM_NUMBER',
    'TWILIO_API_BASE',
  ])
    delete process.env[k]
  resetEnv()
  await new Promise<void>((r) => callbacks.close(() => r()))
  await fake.close()
})

let ip = 0
async function startVisit(email: string) {
  const res = (await startAction({
    request: new Request(`http://localhost/c/${SLUG}/call`, {
      method: 'POST',
      body: new URLSearchParams({
        firstName: 'Lena',
        lastName: 'Ortiz',
        email,
        city: 'Cheyenne',
        zip: '82001',
        locale: 'en',
      }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    }),
    params: { slug: SLUG },
    context: { cspNonce: '', clientIp: `10.19.0.${++ip}` },
  })) as Response
  expect(res.status).toBe(303)
  return res.headers.get('Location')!.split('/').at(-1)!
}

async function callMe(token: string, phone: string) {
  try {
    return (await callAction({
      request: new Request(`http://localhost/c/${SLUG}/call/${token}`, {
        method: 'POST',
        body: new URLSearchParams({ intent: 'callme', phone }),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
      params: { slug: SLUG, token },
      context: { cspNonce: '', clientIp: `10.20.0.${++ip}` },
    })) as unknown
  } catch (thrown) {
    return thrown
  }
}

/** Every (table.column) of a text-like type that contains the needle. */
async function columnsContaining(needle: string): Promise<string[]> {
  const sql = getSql()
  const columns = await sql<{ tableName: string; columnName: string }[]>`
    select c.table_name, c.column_name
    from information_schema.columns c
    join information_schema.tables t
      on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
      and (c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb')
           or (c.data_type = 'ARRAY' and c.udt_name in ('_text', '_varchar')))`
  const hits: string[] = []
  for (const { tableName, columnName } of columns) {
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from ${sql(tableName)}
      where position(${needle} in ${sql(columnName)}::text) > 0`
    if (row!.n > 0) hits.push(`${tableName}.${columnName}`)
  }
  return hits
}

describe('patch-through', () => {
  test('the call page offers "Call me" when Twilio is configured', async () => {
    const token = await startVisit('lena-0@example.org')
    const res = (await callLoader({
      request: new Request(`http://localhost/c/${SLUG}/call/${token}`),
      params: { slug: SLUG, token },
      context: { cspNonce: '' },
    })) as unknown as { data: { page: { patchThrough: boolean } } }
    expect(res.data.page.patchThrough).toBe(true)
  })

  test('signed callbacks drive one session through the 3 offices, recording each leg; then the phone number is gone from every table', async () => {
    const token = await startVisit('lena-1@example.org')
    fake.setLegs([
      { status: 'completed', duration: 95 },
      { status: 'busy', duration: 0 },
      { status: 'completed', duration: 40 },
    ])
    const answer = fake.holdNext()
    const res = (await callMe(token, '(307) 555-0142')) as Response
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe(`/c/${SLUG}/call/${token}?notice=callMeStarted`)
    const call = fake.calls.at(-1)!
    expect(call.to).toBe('+13075550142')
    // While the session is live, the number is on it (and only there).
    expect(await columnsContaining('3075550142')).toEqual(['call_sessions.phone'])
    answer()
    await call.done

    expect(call.dialed).toEqual(['+12022252311', '+12022246441', '+12022243424'])
    expect(call.said[0]).toContain('connect you to 3 offices')
    expect(call.said.at(-1)).toContain('last office')
    expect(call.callbacks.every((c) => c.status === 200 || c.status === 204)).toBe(true)
    const logs = await getSql()<
      { officeKey: string; outcome: string; via: string; durationSeconds: number }[]
    >`
      select l.office_key, l.outcome, l.via, l.duration_seconds from call_logs l
      join call_visits v on v.id = l.visit_id
      where v.token_hash = sha256(convert_to(${token}, 'utf8')) order by l.id`
    expect(logs).toEqual([
      { officeKey: 'house/WY-0', outcome: 'reached', via: 'patch', durationSeconds: 95 },
      { officeKey: 'senate/WY/1', outcome: 'busy', via: 'patch', durationSeconds: 0 },
      { officeKey: 'senate/WY/2', outcome: 'reached', via: 'patch', durationSeconds: 40 },
    ])
    const [session] = await getSql()<{ status: string; phone: string | null; position: number }[]>`
      select status, phone, position from call_sessions order by created_at desc limit 1`
    expect(session).toEqual({ status: 'ended', phone: null, position: 3 })
    expect(await columnsContaining('3075550142')).toEqual([])
  })

  test('a forged or unsigned callback is 403 and changes nothing', async () => {
    const [session] = await getSql()<{ id: string; position: number }[]>`
      select id, position from call_sessions order by created_at desc limit 1`
    const url = `${publicUrl}/calls/twilio/${session!.id}/dialed?n=0`
    const params = { CallSid: 'CAforged', DialCallStatus: 'completed', DialCallDuration: '999' }
    expect((await fake.callback(url, params, 'bm90IGEgc2lnbmF0dXJl')).status).toBe(403)
    expect((await fake.callback(url, params, null)).status).toBe(403)
    expect(
      (await fake.callback(`${publicUrl}/calls/twilio/${session!.id}/next`, {}, null)).status,
    ).toBe(403)
    // Signed, but for another URL (or session): still forged here.
    const elsewhere = twilio.getExpectedTwilioSignature(fake.authToken, `${url}1`, params)
    expect((await fake.callback(url, params, elsewhere)).status).toBe(403)
    const [row] = await getSql()<{ n: number }[]>`
      select count(*)::int as n from call_logs where duration_seconds = 999`
    expect(row!.n).toBe(0)
  })

  test('the fourth session for the same phone in a day is refused with a clear message', async () => {
    // lena-1's call above was the first today for this number.
    for (const n of [2, 3]) {
      const token = await startVisit(`lena-${n}@example.org`)
      const res = (await callMe(token, '+1 307 555 0142')) as Response
      expect(res.status).toBe(303)
      await fake.calls.at(-1)!.done
    }
    const before = fake.calls.length
    const token = await startVisit('lena-4@example.org')
    const refused = (await callMe(token, '307-555-0142')) as {
      data: { notice: string }
      init: { status: number }
    }
    expect(refused.init.status).toBe(429)
    expect(refused.data.notice).toBe('callMeLimit')
    expect(fake.calls.length).toBe(before)
    // Another number is not limited by it.
    const other = (await callMe(token, '307-555-0199')) as Response
    expect(other.status).toBe(303)
    await fake.calls.at(-1)!.done
    expect(await columnsContaining('3075550142')).toEqual([])
    expect(await columnsContaining('3075550199')).toEqual([])
  })

  test('a malformed phone number is a 400 and calls no one', async () => {
    const token = await startVisit('lena-5@example.org')
    const before = fake.calls.length
    const res = (await callMe(token, '555-0142')) as {
      init: { status: number }
      data: { errors: object }
    }
    expect(res.init.status).toBe(400)
    expect(res.data.errors).toEqual({ phone: ['calls:errors.phone'] })
    expect(fake.calls.length).toBe(before)
  })
})
