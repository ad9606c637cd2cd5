import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest'
import { startFakeGeocoder, type FakeGeocoder } from '#tests/fakes/geocoder'
import { REFERENCE_DATA_DIR } from '#tests/setup/template-steps'
import { CensusGeocoder } from './geocoder.server'

let geocoder: FakeGeocoder
beforeAll(async () => {
  geocoder = await startFakeGeocoder({ fixturesDir: path.join(REFERENCE_DATA_DIR, 'fixtures') })
})
afterAll(async () => {
  await geocoder?.close()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('the geocoder cache', () => {
  test('one request per normalized address for an hour, then a fresh one', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-11-29T12:00:00Z'))
    const provider = new CensusGeocoder({ baseUrl: geocoder.url })
    const before = geocoder.requests.length
    expect((await provider.geocode('200 W 24th St, Cheyenne, WY 82001')).matched).toBe(true)
    for (const typed of [
      '200 w 24th st cheyenne wy 82001',
      '  200 W. 24th St.,  Cheyenne, WY  82001 ',
      '200 W 24TH ST, CHEYENNE, WY, 82001',
    ]) {
      expect((await provider.geocode(typed)).matched).toBe(true)
    }
    expect(geocoder.requests.length - before).toBe(1)

    vi.setSystemTime(new Date('2026-11-29T12:59:00Z'))
    await provider.geocode('200 W 24th St, Cheyenne, WY 82001')
    expect(geocoder.requests.length - before).toBe(1)

    vi.setSystemTime(new Date('2026-11-29T13:00:01Z'))
    await provider.geocode('200 W 24th St, Cheyenne, WY 82001')
    expect(geocoder.requests.length - before).toBe(2)
  })
})
