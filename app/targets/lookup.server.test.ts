import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { resetEnv } from '#app/utils/env.server'
import { startFakeGeocoder, type FakeGeocoder } from '#tests/fakes/geocoder'
import { useAppDatabase } from '#tests/setup/db'
import { REFERENCE_DATA_DIR } from '#tests/setup/template-steps'
import { CensusGeocoder, GeocoderUnavailableError } from './geocoder.server'
import {
  getRepresentativesForOffices,
  lookupByAddress,
  lookupByZip,
  LookupInputError,
  resolveZipCandidate,
  type LookupResult,
} from './lookup.server'

// The template database holds the reference data imported from ../shared/data.
useAppDatabase()
let geocoder: FakeGeocoder

beforeAll(async () => {
  geocoder = await startFakeGeocoder({ fixturesDir: path.join(REFERENCE_DATA_DIR, 'fixtures') })
  process.env.GEOCODER_URL = geocoder.url
  resetEnv()
})
afterAll(async () => {
  await geocoder.close()
})

const names = (r: LookupResult) => r.representatives.map((x) => `${x.chamber}:${x.name}`)

describe('lookupByZip', () => {
  test('a one-district ZIP gives the House member and both Senators', async () => {
    const r = await lookupByZip('32301')
    expect(r.status).toBe('resolved')
    expect(r.state).toBe('FL')
    expect(r.districts).toEqual([{ state: 'FL', district: '2' }])
    expect(names(r)).toEqual(['house:Neal P. Dunn', 'senate:Rick Scott', 'senate:Ashley Moody'])
    expect(r.asOf).toEqual({
      congress: '2026-06-15',
      zipDistricts: '2024-11-12',
      openStates: '2026-08-05',
    })
  })

  test('Florida keeps its appointed Senator whose term end in the data has passed', async () => {
    const r = await lookupByZip('32301')
    const moody = r.representatives.find((x) => x.name === 'Ashley Moody')
    expect(moody).toMatchObject({
      chamber: 'senate',
      state: 'FL',
      bioguideId: expect.stringMatching(/^M\d{6}$/),
    })
    const [ohio] = await getRepresentativesForOffices(['senate/OH/3'])
    expect(ohio).toMatchObject({ name: 'Jon Husted', cwcCode: 'SOH2' })
    expect(ohio.vacant).toBeUndefined()
  })

  test('an at-large state (WY 82001): 1 House member and 2 Senators, all with a bioguideId', async () => {
    const r = await lookupByZip('82001-1234')
    expect(r.status).toBe('resolved')
    expect(r.districts).toEqual([{ state: 'WY', district: '0' }])
    expect(r.representatives.map((x) => x.chamber)).toEqual(['house', 'senate', 'senate'])
    expect(r.representatives.every((x) => /^[A-Z]\d{6}$/.test(x.bioguideId ?? ''))).toBe(true)
    expect(r.representatives[0]).toMatchObject({
      name: 'Harriet M. Hageman',
      district: '0',
      cwcCode: 'HWY00',
      photoUrl: `https://theunitedstates.io/images/congress/225x275/${r.representatives[0].bioguideId}.jpg`,
    })
  })

  test('DC has a delegate and no Senators', async () => {
    const r = await lookupByZip('20001')
    expect(r.status).toBe('resolved')
    expect(names(r)).toEqual(['house:Eleanor Holmes Norton'])
  })

  test('territory ZIPs missing from the crosswalk map to their delegate', async () => {
    expect(names(await lookupByZip('96910'))).toEqual(['house:James C. Moylan'])
    expect(names(await lookupByZip('00802'))).toEqual(['house:Stacey E. Plaskett'])
  })

  test('a vacant seat says vacant rather than naming a former member', async () => {
    const r = await lookupByZip('94587')
    expect(r.status).toBe('resolved')
    expect(r.representatives[0]).toMatchObject({
      officeId: 'house/CA-14',
      chamber: 'house',
      vacant: true,
      name: 'Vacant',
      cwcCode: 'HCA14',
    })
    expect(r.representatives[0].bioguideId).toBeUndefined()
    expect(r.representatives.filter((x) => x.chamber === 'senate')).toHaveLength(2)
  })

  test('a ZIP across two districts is ambiguous: Senators are certain, the House is a choice', async () => {
    const r = await lookupByZip('10001')
    expect(r.status).toBe('ambiguous')
    expect(r.reason).toBe('multiple_districts')
    expect(r.message).toMatch(/street address/)
    expect(r.state).toBe('NY')
    expect(r.representatives.every((x) => x.chamber === 'senate')).toBe(true)
    expect(r.representatives).toHaveLength(2)
    expect(r.candidates?.map((c) => [c.district, c.representative?.name])).toEqual([
      ['10', 'Daniel S. Goldman'],
      ['12', 'Jerrold Nadler'],
    ])
    const picked = await resolveZipCandidate('10001', 'NY-12')
    expect(picked.status).toBe('resolved')
    expect(names(picked)[0]).toBe('house:Jerrold Nadler')
    await expect(resolveZipCandidate('10001', 'NY-3')).rejects.toThrow(LookupInputError)
  })

  test('a ZIP across two states is ambiguous with no state and no Senators', async () => {
    const r = await lookupByZip('02861')
    expect(r.status).toBe('ambiguous')
    expect(r.reason).toBe('multiple_states')
    expect(r.state).toBeNull()
    expect(r.representatives).toEqual([])
    expect(r.candidates?.map((c) => `${c.state}-${c.district}`)).toEqual(['MA-4', 'RI-1'])
  })

  test('an unknown ZIP is not_found with a message; a malformed one is an input error', async () => {
    const r = await lookupByZip('00000')
    expect(r).toMatchObject({
      status: 'not_found',
      state: null,
      representatives: [],
      reason: 'unknown_zip',
    })
    expect(r.message).toBeTruthy()
    await expect(lookupByZip('8200')).rejects.toThrow(LookupInputError)
    await expect(lookupByZip('abcde')).rejects.toThrow(LookupInputError)
  })
})

describe('lookupByAddress', () => {
  test('a two-district ZIP is resolved by the street address through the geocoder', async () => {
    geocoder.addAddress('350 10th Ave, New York, NY 10001', {
      state: 'NY',
      district: '10',
      zip: '10001',
    })
    const r = await lookupByAddress({
      street: '350 10th Ave',
      city: 'New York',
      state: 'NY',
      zip: '10001',
    })
    expect(r.status).toBe('resolved')
    expect(r.districts).toEqual([{ state: 'NY', district: '10' }])
    expect(names(r)).toEqual([
      'house:Daniel S. Goldman',
      'senate:Kirsten E. Gillibrand',
      'senate:Charles E. Schumer',
    ])
  })

  test('the recorded Census responses resolve NY-12, WY at-large and the DC delegate (98 → 0)', async () => {
    const ny = await lookupByAddress({ street: '421 8th Ave, New York, NY 10001' })
    expect(names(ny)[0]).toBe('house:Jerrold Nadler')
    const wy = await lookupByAddress({ street: '200 W 24th St, Cheyenne, WY 82001' })
    expect(wy.districts).toEqual([{ state: 'WY', district: '0' }])
    const dc = await lookupByAddress({ street: '1600 Pennsylvania Ave NW, Washington, DC 20500' })
    expect(names(dc)).toEqual(['house:Eleanor Holmes Norton'])
  })

  test('an address the geocoder cannot match falls back to the ZIP, marked', async () => {
    const r = await lookupByAddress({ street: '1 Nowhere Lane', zip: '10001' })
    expect(r.status).toBe('ambiguous')
    expect(r.reason).toBe('address_not_found')
  })

  test('geocoder down: the ZIP candidates, marked ambiguous with a message, never an error', async () => {
    geocoder.setMode('down')
    try {
      const r = await lookupByAddress({ street: '99 W 33rd St, New York, NY 10001' })
      expect(r.status).toBe('ambiguous')
      expect(r.reason).toBe('geocoder_unavailable')
      expect(r.message).toMatch(/isn't answering/)
      expect(r.candidates?.map((c) => c.district)).toEqual(['10', '12'])
      expect(r.representatives.map((x) => x.chamber)).toEqual(['senate', 'senate'])
    } finally {
      geocoder.setMode('up')
    }
  })

  test('the Census provider retries once, then reports the outage; its timeout holds', async () => {
    geocoder.setMode('down')
    const before = geocoder.requests.length
    const provider = new CensusGeocoder({ baseUrl: geocoder.url, timeoutMs: 200 })
    await expect(provider.geocode('5 Main St, Cheyenne, WY 82001')).rejects.toThrow(
      GeocoderUnavailableError,
    )
    expect(geocoder.requests.length - before).toBe(2)
    geocoder.setMode('hang')
    await expect(provider.geocode('6 Main St, Cheyenne, WY 82001')).rejects.toThrow(
      GeocoderUnavailableError,
    )
    geocoder.setMode('up')
    // answers are cached: the second call does not reach the service
    const cached = new CensusGeocoder({ baseUrl: geocoder.url })
    await cached.geocode('200 W 24th St, Cheyenne, WY 82001')
    const n = geocoder.requests.length
    expect((await cached.geocode('200 W 24th St, Cheyenne, WY 82001')).matched).toBe(true)
    expect(geocoder.requests.length).toBe(n)
  })

  test('state legislators come back only when the Census districts match Open States exactly', async () => {
    geocoder.addAddress('10 Capitol Ave, Cheyenne, WY 82001', {
      state: 'WY',
      district: '0',
      zip: '82001',
      upper: { code: '005', baseName: '5' },
      lower: { code: '008', baseName: '8' },
    })
    const r = await lookupByAddress(
      { street: '10 Capitol Ave, Cheyenne, WY 82001' },
      { includeState: true },
    )
    expect(r.reason).toBeUndefined()
    const state = r.representatives.filter((x) => x.chamber.startsWith('state_'))
    expect(state.map((x) => `${x.chamber}:${x.district}:${x.name}`).sort()).toEqual([
      'state_lower:8:Steve Johnson',
      'state_upper:5:Lynn Hutchings',
    ])
    expect(state.every((x) => x.openstatesId?.startsWith('ocd-person/'))).toBe(true)

    geocoder.addAddress('11 Capitol Ave, Cheyenne, WY 82001', {
      state: 'WY',
      district: '0',
      upper: { code: '005', baseName: '5' },
      lower: { code: '0ZZ', baseName: 'Laramie 8' },
    })
    const unsure = await lookupByAddress(
      { street: '11 Capitol Ave, Cheyenne, WY 82001' },
      { includeState: true },
    )
    expect(unsure.reason).toBe('state_districts_unmatched')
    expect(unsure.representatives.map((x) => x.chamber)).toEqual(['house', 'senate', 'senate'])
  })
})

test('getRepresentativesForOffices returns the current holders, vacant seats marked', async () => {
  const reps = await getRepresentativesForOffices([
    'house/WY-0',
    'senate/OH/3',
    'house/CA-14',
    'house/ZZ-9',
  ])
  expect(reps.map((r) => [r.officeId, r.name, r.vacant ?? false])).toEqual([
    ['house/WY-0', 'Harriet M. Hageman', false],
    ['senate/OH/3', 'Jon Husted', false],
    ['house/CA-14', 'Vacant', true],
  ])
})
