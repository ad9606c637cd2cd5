import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { resetEnv } from '#app/utils/env.server'
import { startFakeGeocoder, type FakeGeocoder } from '#tests/fakes/geocoder'
import { useAppDatabase } from '#tests/setup/db'
import { REFERENCE_DATA_DIR } from '#tests/setup/template-steps'
import { loader } from './api.representatives'
import { awayFromWindowEdge } from '#tests/setup/rate-windows'

useAppDatabase()
let geocoder: FakeGeocoder
beforeAll(async () => {
  geocoder = await startFakeGeocoder({ fixturesDir: path.join(REFERENCE_DATA_DIR, 'fixtures') })
  process.env.GEOCODER_URL = geocoder.url
  resetEnv()
})
afterAll(() => geocoder.close())

let ipCounter = 0
async function get(query: string, ip = `203.0.113.${++ipCounter}`) {
  const response = await loader({
    request: new Request(`http://localhost/api/representatives${query}`),
    context: { cspNonce: '', clientIp: ip },
    params: {},
  })
  return { status: response.status, headers: response.headers, body: await response.json() }
}

test('?zip=82001: resolved, Wyoming at-large, 1 House member and 2 Senators with bioguide ids', async () => {
  const { status, body } = await get('?zip=82001')
  expect(status).toBe(200)
  expect(body).toMatchObject({
    status: 'resolved',
    state: 'WY',
    districts: [{ state: 'WY', district: '0' }],
    asOf: { congress: '2026-06-15', zipDistricts: '2024-11-12' },
  })
  const reps = body.representatives as Array<Record<string, unknown>>
  expect(reps.map((r) => r.chamber)).toEqual(['house', 'senate', 'senate'])
  for (const r of reps) {
    expect(r.bioguideId).toMatch(/^[A-Z]\d{6}$/)
    expect(r).toMatchObject({ state: 'WY', name: expect.any(String), party: 'Republican' })
    expect(r.office).toHaveProperty('phone')
    expect(r.office).toHaveProperty('contactForm')
    expect(r.photoUrl).toMatch(/^https:\/\/theunitedstates\.io\//)
  }
})

test('an address is resolved through the geocoder; a two-district ZIP alone is ambiguous', async () => {
  const zipOnly = await get('?zip=10001')
  expect(zipOnly.body.status).toBe('ambiguous')
  expect(zipOnly.body.candidates).toHaveLength(2)
  const { status, body, headers } = await get(
    `?address=${encodeURIComponent('421 8th Ave, New York, NY 10001')}`,
  )
  expect(status).toBe(200)
  expect(body.status).toBe('resolved')
  expect(body.representatives[0]).toMatchObject({ name: 'Jerrold Nadler', district: '12' })
  expect(headers.get('cache-control')).toContain('no-store')
})

test('bad input is a 400 with a message', async () => {
  for (const q of ['', '?zip=123', '?zip=abcde', '?zip=10001&district=NY-99', '?address=x']) {
    const { status, body } = await get(q)
    expect(status, q).toBe(400)
    expect(body.error, q).toMatch(/\w/)
  }
})

test('more than the per-minute limit from one IP gets 429 with Retry-After', async () => {
  const ip = '198.51.100.7'
  await awayFromWindowEdge(60)
  for (let i = 0; i < 120; i++) expect((await get('?zip=82001', ip)).status).toBe(200)
  const limited = await get('?zip=82001', ip)
  expect(limited.status).toBe(429)
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
  expect((await get('?zip=82001', '198.51.100.8')).status).toBe(200)
})
