import { describe, expect, test, vi } from 'vitest'

vi.hoisted(() => {
  process.env.DATABASE_URL ??= 'postgres://placeholder@127.0.0.1:1/none'
})

import { action as startAction } from '#app/routes/c.$slug_.call._index'
import { action as callAction, loader as callLoader } from '#app/routes/c.$slug_.call.$token._index'
import { loader as postLoader } from '#app/routes/c.$slug_.post.$network'
import { eraseSupporter } from '#app/privacy/privacy.server'
import { getSql } from '#db/client'
import { stafferReportCursor } from '#db/queries/exports'
import { collectSupporterData } from '#db/queries/privacy'
import { RED_NOTICE_CALL_SLUG } from '#db/seed/red-notice-call'
import { useAppDatabase } from '#tests/setup/db'
import { signedInOrganizer } from '#tests/setup/organizers'
import { loader as petitionThanksLoader } from '#app/routes/c.$slug_.thanks'
import { RED_NOTICE_PETITION_SLUG } from '#db/seed/red-notice'
import {
  getCallMetrics,
  getCallPage,
  getCallersByOffice,
  getLetterPostTargets,
  getZipPostTargets,
} from './calls.server'
import { dcOfficeHours } from './hours'

// The call flow through its routes, against real Postgres (the template database has the demo
// call campaign and the imported reference data). Cheyenne, WY (82001) is one district.

useAppDatabase()

const SLUG = RED_NOTICE_CALL_SLUG
let ip = 0

async function run<T>(fn: () => Promise<T>): Promise<T | Response> {
  try {
    return await fn()
  } catch (thrown) {
    if (thrown instanceof Response) return thrown
    const d = thrown as { init?: { status?: number } }
    if (d?.init?.status) return new Response(null, { status: d.init.status })
    throw thrown
  }
}

async function start(fields: Record<string, string>) {
  const request = new Request(`http://localhost/c/${SLUG}/call`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  })
  return run(() =>
    startAction({
      request,
      params: { slug: SLUG },
      context: { cspNonce: '', clientIp: `10.17.0.${++ip}` },
    }),
  )
}

const CALLER = {
  firstName: 'Rosa',
  lastName: 'Díaz',
  email: 'rosa@example.org',
  city: 'Cheyenne',
  zip: '82001',
  optIn: 'on',
  locale: 'en',
}

async function startedToken(email: string) {
  const res = (await start({ ...CALLER, email })) as Response
  expect(res.status).toBe(303)
  const location = res.headers.get('Location')!
  expect(location).toMatch(new RegExp(`^/c/${SLUG}/call/[A-Za-z0-9_-]+$`))
  return location.split('/').at(-1)!
}

async function tap(token: string, office: string, outcome: string) {
  const request = new Request(`http://localhost/c/${SLUG}/call/${token}`, {
    method: 'POST',
    body: new URLSearchParams({ intent: 'outcome', office, outcome }),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  })
  return (await run(() =>
    callAction({
      request,
      params: { slug: SLUG, token },
      context: { cspNonce: '', clientIp: '10.18.0.1' },
    }),
  )) as Response
}

const logsOf = (token: string) =>
  getSql()<{ officeKey: string; outcome: string; via: string }[]>`
    select l.office_key, l.outcome, l.via from call_logs l
    join call_visits v on v.id = l.visit_id
    where v.token_hash = sha256(convert_to(${token}, 'utf8'))
    order by l.id`

describe('a caller from ZIP 82001', () => {
  test('sees Hageman, Barrasso and Lummis in campaign order, each with a tel: DC number and the Cheyenne district office first', async () => {
    const token = await startedToken('rosa-1@example.org')
    const request = new Request(`http://localhost/c/${SLUG}/call/${token}`)
    const res = (await callLoader({
      request,
      params: { slug: SLUG, token },
      context: { cspNonce: '' },
    })) as unknown as {
      data: { page: Awaited<ReturnType<typeof getCallPage>> }
    }
    const page = res.data.page!
    expect(page.offices.map((o) => [o.name, o.dcPhone])).toEqual([
      ['Harriet M. Hageman', '202-225-2311'],
      ['John Barrasso', '202-224-6441'],
      ['Cynthia M. Lummis', '202-224-3424'],
    ])
    expect(page.offices.map((o) => o.districtOffices[0])).toEqual([
      expect.objectContaining({ city: 'Cheyenne', phone: '307-772-2595' }),
      expect.objectContaining({ city: 'Cheyenne', phone: '307-772-2451' }),
      expect.objectContaining({ city: 'Cheyenne', phone: '307-772-2477' }),
    ])
    // the script per group, with the caller's and the office's merge fields
    expect(page.offices[0]!.script).toContain('my name is Rosa')
    expect(page.offices[0]!.script).toContain('from Cheyenne')
    expect(page.offices[0]!.script).toContain('Representative Harriet M. Hageman')
    expect(page.offices[0]!.script).toContain('H.R. 4829')
    expect(page.offices[1]!.script).toContain('Senator John Barrasso')
    expect(page.offices[1]!.script).toContain('S. 2525')
    expect(page.offices[1]!.script).not.toContain('{{')
    // Without Twilio there is no "Call me".
    expect(page.patchThrough).toBe(false)
  })

  test('recording an outcome for each office stores 3 call logs, and a double tap stores no fourth', async () => {
    const token = await startedToken('rosa-2@example.org')
    const a = await tap(token, 'house/WY-0', 'reached')
    expect(a.status).toBe(303)
    expect(a.headers.get('Location')).toBe(`/c/${SLUG}/call/${token}#office-2`)
    await tap(token, 'senate/WY/1', 'voicemail')
    await tap(token, 'senate/WY/1', 'voicemail') // double tap
    const last = await tap(token, 'senate/WY/2', 'busy')
    expect(last.headers.get('Location')).toBe(`/c/${SLUG}/call/${token}#call-title`)
    expect(await logsOf(token)).toEqual([
      { officeKey: 'house/WY-0', outcome: 'reached', via: 'tel' },
      { officeKey: 'senate/WY/1', outcome: 'voicemail', via: 'tel' },
      { officeKey: 'senate/WY/2', outcome: 'busy', via: 'tel' },
    ])
    // A changed answer updates the office's one log.
    await tap(token, 'house/WY-0', 'skipped')
    expect((await logsOf(token)).map((l) => l.outcome)).toEqual(['skipped', 'voicemail', 'busy'])
  })

  test('an office not on the visit, an unknown outcome and a wrong token store nothing', async () => {
    const token = await startedToken('rosa-3@example.org')
    expect((await tap(token, 'house/NY-12', 'reached')).status).toBe(400)
    expect((await tap(token, 'house/WY-0', 'hung-up')).status).toBe(400)
    expect((await tap('x'.repeat(43), 'house/WY-0', 'reached')).status).toBe(404)
    expect(await logsOf(token)).toEqual([])
  })

  test('the call counts as their action: a signature with consents, as signing records it', async () => {
    await startedToken('rosa-4@example.org')
    const [row] = await getSql()<{ kind: string; consents: string[] }[]>`
      select c.kind, array(select k.kind || ':' || k.granted from consents k
                            where k.supporter_id = p.id order by k.kind) as consents
      from signatures s join supporters p on p.id = s.supporter_id
      join campaigns c on c.id = s.campaign_id
      where p.email = 'rosa-4@example.org'`
    expect(row).toEqual({ kind: 'call', consents: ['list:true', 'terms:true'] })
  })

  test('missing fields are 400 with field errors, and nothing is stored', async () => {
    const res = (await start({ ...CALLER, email: 'not-an-email', zip: '12' })) as unknown as {
      data: { state: { errors: Record<string, string[]> } }
      init: { status: number }
    }
    expect(res.init.status).toBe(400)
    expect(Object.keys(res.data.state.errors).sort()).toEqual(['email', 'zip'])
    const [n] = await getSql()<{ n: number }[]>`select count(*)::int as n from call_visits`
    const before = n!.n
    await start({ ...CALLER, email: 'x@', zip: '12' })
    const [m] = await getSql()<{ n: number }[]>`select count(*)::int as n from call_visits`
    expect(m!.n).toBe(before)
  })
})

describe('a ZIP that spans districts', () => {
  test('is never guessed: the caller picks a listed district (or Senators only), and a made-up one is refused', async () => {
    const brooklyn = { ...CALLER, city: 'Brooklyn', zip: '11229', email: 'split-1@example.org' }
    const pick = (await start(brooklyn)) as unknown as {
      data: { state: { candidates: Array<{ value: string }>; senatorsOnly: boolean } }
      init: { status: number } | null
    }
    expect(pick.data.state.candidates.map((c) => c.value).sort()).toEqual(['NY-8', 'NY-9'])
    expect(pick.data.state.senatorsOnly).toBe(true)
    const [before] = await getSql()<{ n: number }[]>`select count(*)::int as n from call_visits`

    const made = (await start({ ...brooklyn, district: 'NY-12' })) as unknown as {
      init: { status: number }
    }
    expect(made.init.status).toBe(400)
    const [after] = await getSql()<{ n: number }[]>`select count(*)::int as n from call_visits`
    expect(after!.n).toBe(before!.n)

    const picked = (await start({ ...brooklyn, district: 'NY-9' })) as Response
    expect(picked.status).toBe(303)
    const token = picked.headers.get('Location')!.split('/').at(-1)!
    const page = await getCallPage(SLUG, token, 'en')
    expect(page!.offices.map((o) => o.officeKey)).toEqual([
      'house/NY-9',
      'senate/NY/1',
      'senate/NY/3',
    ])

    const senators = (await start({
      ...brooklyn,
      email: 'split-2@example.org',
      district: 'senators',
    })) as Response
    const page2 = await getCallPage(
      SLUG,
      senators.headers.get('Location')!.split('/').at(-1)!,
      'en',
    )
    expect(page2!.offices.map((o) => o.chamber)).toEqual(['senate', 'senate'])
  })
})

describe('erasure', () => {
  test('erasing a caller clears their name, city and ZIP from their visits; the call counts stay', async () => {
    const token = await startedToken('erase-me@example.org')
    await tap(token, 'house/WY-0', 'reached')
    const [s] = await getSql()<{ id: string }[]>`
      select id from supporters where email = 'erase-me@example.org'`
    // the supporter's export lists the visit and how each call went
    const exported = await collectSupporterData(getSql(), s!.id)
    expect(exported!.callVisits).toEqual([
      expect.objectContaining({
        campaignSlug: SLUG,
        city: 'Cheyenne',
        calls: [expect.objectContaining({ officeKey: 'house/WY-0', outcome: 'reached' })],
      }),
    ])
    const owner = await signedInOrganizer('owner')
    expect(await eraseSupporter(owner.organizer, s!.id)).toBeTruthy()
    const visits = await getSql()`
      select first_name, last_name, city, zip, supporter_id from call_visits
      where token_hash = sha256(convert_to(${token}, 'utf8'))`
    expect(visits).toEqual([
      { firstName: null, lastName: null, city: null, zip: null, supporterId: null },
    ])
    expect((await logsOf(token)).map((l) => l.outcome)).toEqual(['reached'])
  })
})

describe('the office-hours hint', () => {
  test('is open 9 to 5 Eastern on weekdays, daylight saving included, and closed otherwise', () => {
    // Monday 2026-11-30: EST is UTC-5
    expect(dcOfficeHours(new Date('2026-11-30T13:59:00Z')).open).toBe(false)
    expect(dcOfficeHours(new Date('2026-11-30T14:00:00Z')).open).toBe(true)
    expect(dcOfficeHours(new Date('2026-11-30T21:59:00Z')).open).toBe(true)
    expect(dcOfficeHours(new Date('2026-11-30T22:00:00Z')).open).toBe(false)
    // Monday 2026-07-06: EDT is UTC-4
    expect(dcOfficeHours(new Date('2026-07-06T13:00:00Z')).open).toBe(true)
    expect(dcOfficeHours(new Date('2026-07-06T21:00:00Z')).open).toBe(false)
    // Saturday noon Eastern
    expect(dcOfficeHours(new Date('2026-11-28T17:00:00Z')).open).toBe(false)
  })

  test('the call page says so at a fixed clock time', async () => {
    const token = await startedToken('rosa-5@example.org')
    const open = await getCallPage(SLUG, token, 'en', new Date('2026-12-01T15:00:00Z'))
    const closed = await getCallPage(SLUG, token, 'es', new Date('2026-12-01T23:30:00Z'))
    expect(open!.hours.open).toBe(true)
    expect(closed!.hours.open).toBe(false)
  })
})

describe('posts to legislators', () => {
  test('a click is counted by network and office, then 303s to the prefilled intent with the handle', async () => {
    const request = new Request(`http://localhost/c/${SLUG}/post/x?office=senate%2FWY%2F1`)
    const res = (await run(() =>
      postLoader({ request, params: { slug: SLUG, network: 'x' }, context: { cspNonce: '' } }),
    )) as Response
    expect(res.status).toBe(303)
    const location = new URL(res.headers.get('Location')!)
    expect(location.origin).toBe('https://x.com')
    expect(location.searchParams.get('text')).toMatch(/^@SenJohnBarrasso Please cosponsor S\. 2525/)
    const rows = await getSql()<Record<string, unknown>[]>`
      select * from social_post_clicks where office_key = 'senate/WY/1'`
    expect(rows).toHaveLength(1)
    expect(Object.keys(rows[0]!).sort()).toEqual([
      'campaignId',
      'createdAt',
      'id',
      'network',
      'officeKey',
    ])
    expect(rows[0]!.network).toBe('x')
  })

  test("a petition's thank-you finds the signer's legislators from the ZIP they type (nothing stored)", async () => {
    const res = (await petitionThanksLoader({
      request: new Request(
        `http://localhost/c/${RED_NOTICE_PETITION_SLUG}/thanks?signed=1&postZip=82001`,
      ),
      params: { slug: RED_NOTICE_PETITION_SLUG },
      context: { cspNonce: '' },
    })) as unknown as { postTargets: Array<{ officeKey: string; x?: string }> }
    expect(res.postTargets.map((t) => [t.officeKey, t.x])).toEqual(
      expect.arrayContaining([
        ['house/WY-0', 'RepHageman'],
        ['senate/WY/1', 'SenJohnBarrasso'],
        ['senate/WY/2', 'SenLummis'],
      ]),
    )
    expect(await getZipPostTargets('1234')).toBeNull()
    expect(await getLetterPostTargets('not-a-token')).toEqual([])
  })

  test('an unknown network or office is refused and not counted', async () => {
    const bad = (await run(() =>
      postLoader({
        request: new Request(`http://localhost/c/${SLUG}/post/myspace?office=senate%2FWY%2F1`),
        params: { slug: SLUG, network: 'myspace' },
        context: { cspNonce: '' },
      }),
    )) as Response
    expect(bad.status).toBe(400)
    const unknown = (await run(() =>
      postLoader({
        request: new Request(`http://localhost/c/${SLUG}/post/bluesky?office=house%2FZZ-9`),
        params: { slug: SLUG, network: 'bluesky' },
        context: { cspNonce: '' },
      }),
    )) as Response
    expect(unknown.status).toBe(404)
  })
})

describe('the organizer', () => {
  test('the dashboard counts calls by outcome and posts by network, per office and day; the staffer report lists callers', async () => {
    const sql = getSql()
    const [row] = await sql<{ id: string }[]>`select id from campaigns where slug = ${SLUG}`
    const id = row!.id
    const before = await getCallMetrics(id)
    const sum = (
      rows: typeof before.calls,
      office: string,
      k: 'reached' | 'voicemail' | 'busy' | 'skipped',
    ) => rows.filter((r) => r.officeKey === office).reduce((n, r) => n + r[k], 0)
    const t1 = await startedToken('mo-1@example.org')
    const t2 = await startedToken('mo-2@example.org')
    await tap(t1, 'house/WY-0', 'reached')
    await tap(t2, 'house/WY-0', 'reached')
    await tap(t2, 'house/WY-0', 'reached')
    await tap(t2, 'senate/WY/2', 'voicemail')
    await postLoader({
      request: new Request(`http://localhost/c/${SLUG}/post/bluesky?office=house%2FWY-0`),
      params: { slug: SLUG, network: 'bluesky' },
      context: { cspNonce: '' },
    })
    const after = await getCallMetrics(id)
    expect(
      sum(after.calls, 'house/WY-0', 'reached') - sum(before.calls, 'house/WY-0', 'reached'),
    ).toBe(2)
    expect(
      sum(after.calls, 'senate/WY/2', 'voicemail') - sum(before.calls, 'senate/WY/2', 'voicemail'),
    ).toBe(1)
    const today = new Date().toISOString().slice(0, 10)
    expect(after.posts).toContainEqual({
      day: today,
      officeKey: 'house/WY-0',
      network: 'bluesky',
      posts: 1,
    })
    const callers = await getCallersByOffice(id)
    expect(callers.filter((c) => c.officeKey === 'house/WY-0')).toContainEqual({
      officeKey: 'house/WY-0',
      firstName: 'Rosa',
      lastName: 'Díaz',
      city: 'Cheyenne',
      zip: '82001',
    })
    expect(JSON.stringify(callers)).not.toContain('@')
    // the staffer report CSV's rows for an office: its constituent callers, as for letters
    const rows: Array<Record<string, unknown>> = []
    for await (const batch of stafferReportCursor(sql, id, 'senate/WY/2')) rows.push(...batch)
    expect(rows).toContainEqual({
      firstName: 'Rosa',
      lastName: 'Díaz',
      city: 'Cheyenne',
      zip: '82001',
    })
    expect(rows.every((r) => Object.keys(r).sort().join() === 'city,firstName,lastName,zip')).toBe(
      true,
    )
  })
})
