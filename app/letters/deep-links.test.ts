import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'

vi.hoisted(() => {
  process.env.DATABASE_URL ??= 'postgres://placeholder@127.0.0.1:1/none'
})

import { resetEnv } from '#app/utils/env.server'
import { action, loader } from '#app/routes/c.$slug/route'
import { getSql } from '#db/client'
import { RED_NOTICE_LETTER_SLUG, RED_NOTICE_PETITION_SLUG } from '#db/seed/red-notice'
import { startFakeGeocoder, type FakeGeocoder } from '#tests/fakes/geocoder'
import { useAppDatabase } from '#tests/setup/db'
import { REFERENCE_DATA_DIR } from '#tests/setup/template-steps'

// Deep links (issue 14, section 5; ADR 0907): a letter campaign's ?district=MT-1 and a petition's
// ?firstName=&lastName=&zip=&source=, through the /c/:slug loader and action against real
// Postgres with the imported reference data and the fake Census geocoder.

useAppDatabase()
let geocoder: FakeGeocoder

const SLUG = RED_NOTICE_LETTER_SLUG
// Bozeman, MT: ZIP 59715 lies in both of Montana's districts.
const BOZEMAN = { street: '1 Nowhere Trail', city: 'Bozeman', state: 'MT', zip: '59715' }
const WRITER = {
  prefix: 'Ms.',
  firstName: 'June',
  lastName: 'Hart',
  subject: 'Please act, {{targetTitle}}',
  message: 'Dear {{targetTitle}} {{targetName}},\n\nPlease act on Red Notices.\n\n{{firstName}}',
}

beforeAll(async () => {
  geocoder = await startFakeGeocoder({ fixturesDir: path.join(REFERENCE_DATA_DIR, 'fixtures') })
  geocoder.addAddress('5 Main St, Bozeman, MT 59715', { state: 'MT', district: '2', zip: '59715' })
  process.env.GEOCODER_URL = geocoder.url
  process.env.CWC_API_KEY = ''
  resetEnv()
})
afterAll(async () => {
  await geocoder.close()
})

async function load(query: string, slug = SLUG) {
  return (await loader({
    request: new Request(`http://localhost/c/${slug}${query}`),
    params: { slug },
    context: { cspNonce: '' },
  })) as unknown as {
    prefill: Record<string, string>
    signPrefill?: Record<string, string>
    tracking: Record<string, string | undefined>
  }
}

let ip = 0
async function post(fields: Record<string, string>) {
  const request = new Request(`http://localhost/c/${SLUG}`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  })
  try {
    return (await action({
      request,
      params: { slug: SLUG },
      context: { cspNonce: '', clientIp: `10.14.7.${++ip}` },
    })) as unknown
  } catch (thrown) {
    return thrown
  }
}

type Flow = {
  step: string
  errors: Record<string, string[]>
  values: Record<string, string>
  shown?: Array<{ officeKey: string }>
  candidates?: Array<{ value: string }>
  note?: string
}
function flowOf(res: unknown) {
  const r = res as { data: { flow: Flow }; init: { status?: number } | null }
  return { status: r.init?.status ?? 200, flow: r.data.flow }
}

describe('?district= on a letter campaign', () => {
  test('a district in the data is carried, normalised; anything else is dropped without an error', async () => {
    expect((await load('?district=mt-01')).prefill).toEqual({ linkDistrict: 'MT-1' })
    expect((await load('?district=WY-0')).prefill).toEqual({ linkDistrict: 'WY-0' })
    expect((await load('?district=MT-1&zip=59715&state=mt')).prefill).toMatchObject({
      linkDistrict: 'MT-1',
    })
    for (const bad of [
      'ZZ-9', // no such state
      'MT-7', // no such district
      'MT', // not a district
      '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
      'MT-1x',
      'MT-1;drop',
    ]) {
      expect((await load(`?district=${bad}`)).prefill, bad).toEqual({})
    }
    // names too, as on a petition link
    expect((await load('?firstName=June&lastName=Hart&district=MT-2')).prefill).toEqual({
      firstName: 'June',
      lastName: 'Hart',
      linkDistrict: 'MT-2',
    })
    // the link's own state and ZIP must agree with it
    expect((await load('?district=MT-1&state=WY')).prefill).toEqual({ state: 'WY' })
    expect((await load('?district=MT-1&zip=82001')).prefill).toEqual({ zip: '82001' })
  })

  test('a ZIP that spans districts needs no placeable street: the link’s district is used, with a note, and the geocoder is not called', async () => {
    const before = geocoder.requests.length
    const res = flowOf(
      await post({
        ...WRITER,
        ...BOZEMAN,
        email: 'june@example.org',
        linkDistrict: 'MT-1',
        intent: 'lookup',
      }),
    )
    expect(res.status).toBe(200)
    expect(res.flow.step).toBe('letter')
    expect(res.flow.note).toBe('fromLink')
    expect(res.flow.shown!.map((s) => s.officeKey).slice(0, 3)).toEqual([
      'house/MT-1',
      'senate/MT/1',
      'senate/MT/2',
    ])
    expect(geocoder.requests.length).toBe(before)

    const sent = (await post({
      ...WRITER,
      ...BOZEMAN,
      email: 'june@example.org',
      linkDistrict: 'MT-1',
      intent: 'send',
    })) as Response
    expect(sent.status).toBe(303)
    const keys = await getSql()<{ officeKey: string }[]>`
      select d.office_key from deliveries d join letters l on l.id = d.letter_id
      where l.email = 'june@example.org' and d.office_key not like 'custom/%'
      order by d.office_key`
    expect(keys.map((k) => k.officeKey)).toEqual(['house/MT-1', 'senate/MT/1', 'senate/MT/2'])
  })

  test('a district that is not the ZIP’s, or not in the writer’s state, is ignored: the usual lookup runs', async () => {
    // Wyoming's district for a Bozeman ZIP: the street is looked up; unplaced, the writer picks.
    const other = flowOf(
      await post({
        ...WRITER,
        ...BOZEMAN,
        email: 'other@example.org',
        linkDistrict: 'WY-0',
        intent: 'lookup',
      }),
    )
    expect(other.status).toBe(200)
    expect(other.flow.step).toBe('pick')
    expect(other.flow.errors).toEqual({})
    expect(other.flow.candidates!.map((c) => c.value)).toEqual(['MT-1', 'MT-2'])

    // A placeable street is placed by the geocoder, whatever a stale link says elsewhere.
    const placed = flowOf(
      await post({
        ...WRITER,
        ...BOZEMAN,
        street: '5 Main St',
        email: 'placed@example.org',
        linkDistrict: 'NY-12',
        intent: 'lookup',
      }),
    )
    expect(placed.flow.step).toBe('letter')
    expect(placed.flow.note).toBeUndefined()
    expect(placed.flow.shown![0]!.officeKey).toBe('house/MT-2')
  })

  test('a one-district ZIP is never overridden by the link', async () => {
    const res = flowOf(
      await post({
        ...WRITER,
        street: '200 W 24th St',
        city: 'Cheyenne',
        state: 'WY',
        zip: '82001',
        email: 'wy-link@example.org',
        linkDistrict: 'MT-1',
        intent: 'lookup',
      }),
    )
    expect(res.flow.step).toBe('letter')
    expect(res.flow.note).toBeUndefined()
    expect(res.flow.shown![0]!.officeKey).toBe('house/WY-0')
  })

  test('“Change my address” drops the link’s district, so the street decides from then on', async () => {
    const res = flowOf(
      await post({
        ...WRITER,
        ...BOZEMAN,
        email: 'edit-link@example.org',
        linkDistrict: 'MT-1',
        intent: 'edit',
      }),
    )
    expect(res.flow.step).toBe('address')
    expect(res.flow.values.linkDistrict).toBeUndefined()
    expect(res.flow.values.street).toBe(BOZEMAN.street)
  })

  test('with state legislators the street is still looked up; unplaced, the pick keeps the link’s district to preselect', async () => {
    const sql = getSql()
    await sql`
      update campaigns set target_config = target_config || '{"stateUpper": true}'::jsonb
      where slug = ${SLUG}`
    try {
      const before = geocoder.requests.length
      const res = flowOf(
        await post({
          ...WRITER,
          ...BOZEMAN,
          // a street not looked up before (answers are cached)
          street: '2 Nowhere Trail',
          email: 'state-link@example.org',
          linkDistrict: 'MT-1',
          intent: 'lookup',
        }),
      )
      expect(geocoder.requests.length).toBe(before + 1)
      expect(res.flow.step).toBe('pick')
      expect(res.flow.values.linkDistrict).toBe('MT-1')
    } finally {
      await sql`
        update campaigns set target_config = target_config - 'stateUpper' where slug = ${SLUG}`
    }
  })
})

describe('petition prefill', () => {
  test('firstName, lastName and zip fill the sign form (checked as the form checks them); source is the signature’s', async () => {
    const data = await load(
      '?firstName=%20Ana%20&lastName=Ruiz&zip=59715-1234&source=partner-a&email=ana%40example.org',
      RED_NOTICE_PETITION_SLUG,
    )
    // no email: a link is no place for one (ADR 0908)
    expect(data.signPrefill).toEqual({ firstName: 'Ana', lastName: 'Ruiz', zip: '59715' })
    expect(data.tracking.source).toBe('partner-a')
    const bad = await load(`?firstName=${'x'.repeat(81)}&zip=123`, RED_NOTICE_PETITION_SLUG)
    expect(bad.signPrefill).toEqual({})

    // the page's form posts the source as a hidden field; the signature records it
    const request = new Request(`http://localhost/c/${RED_NOTICE_PETITION_SLUG}`, {
      method: 'POST',
      body: new URLSearchParams({
        firstName: 'Ana',
        lastName: 'Ruiz',
        zip: '59715',
        email: 'ana-prefill@example.org',
        source: 'partner-a',
      }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    })
    const res = (await action({
      request,
      params: { slug: RED_NOTICE_PETITION_SLUG },
      context: { cspNonce: '', clientIp: '10.14.8.1' },
    })) as Response
    expect(res.status).toBe(303)
    const [row] = await getSql()<{ source: string | null }[]>`
      select s.source from signatures s join supporters p on p.id = s.supporter_id
      where p.email = 'ana-prefill@example.org'`
    expect(row!.source).toBe('partner-a')
  })
})
