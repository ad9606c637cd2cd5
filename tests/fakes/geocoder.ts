// A local stand-in for the U.S. Census Geocoder's `geographies/onelineaddress`. It replays the
// recorded responses in shared/data/fixtures, and answers synthetic addresses in the same format
// (so a test can place an address in one district of a ZIP that crosses two). Mode "down" answers
// 503, like an outage; "hang" never answers (timeouts).
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'

export type FakeDistrict = {
  state: string
  /** '0' for at-large; delegates use '98' as the Census does */
  district: string
  zip?: string
  city?: string
  upper?: { code: string; name?: string; baseName: string }
  lower?: { code: string; name?: string; baseName: string }
}

export type FakeGeocoder = {
  url: string
  requests: string[]
  setMode(mode: 'up' | 'down' | 'hang'): void
  addAddress(address: string, district: FakeDistrict): void
  close(): Promise<void>
}

const FIPS: Record<string, string> = {
  AL: '01', AK: '02', AZ: '04', AR: '05', CA: '06', CO: '08', CT: '09', DE: '10', DC: '11',
  FL: '12', GA: '13', HI: '15', ID: '16', IL: '17', IN: '18', IA: '19', KS: '20', KY: '21',
  LA: '22', ME: '23', MD: '24', MA: '25', MI: '26', MN: '27', MS: '28', MO: '29', MT: '30',
  NE: '31', NV: '32', NH: '33', NJ: '34', NM: '35', NY: '36', NC: '37', ND: '38', OH: '39',
  OK: '40', OR: '41', PA: '42', RI: '44', SC: '45', SD: '46', TN: '47', TX: '48', UT: '49',
  VT: '50', VA: '51', WA: '53', WV: '54', WI: '55', WY: '56', PR: '72',
} // prettier-ignore

const key = (address: string) =>
  address
    .trim()
    .toLowerCase()
    .replace(/[\s,]+/g, ' ')

type Fixture = { result: { input: unknown; addressMatches: Array<Record<string, unknown>> } }

export async function startFakeGeocoder(options: {
  fixturesDir: string
  port?: number
}): Promise<FakeGeocoder> {
  const fixtures = new Map<string, Fixture>()
  let template: Fixture | undefined
  for (const file of fs.readdirSync(options.fixturesDir)) {
    if (!file.startsWith('census-geocoder-') || !file.endsWith('.json')) continue
    const body = JSON.parse(
      fs.readFileSync(path.join(options.fixturesDir, file), 'utf8'),
    ) as Fixture
    const input = body.result.input as { address: { address: string } }
    fixtures.set(key(input.address.address), body)
    if (file.includes('ny12')) template = body
  }
  if (!template) throw new Error(`no Census fixtures in ${options.fixturesDir}`)

  const synthetic = new Map<string, FakeDistrict>()
  const requests: string[] = []
  let mode: 'up' | 'down' | 'hang' = 'up'

  const synthesize = (address: string, d: FakeDistrict): Fixture => {
    const body = structuredClone(template!)
    const match = body.result.addressMatches[0] as {
      geographies: Record<string, Array<Record<string, unknown>>>
      addressComponents: Record<string, string>
      matchedAddress: string
    }
    ;(body.result.input as { address: { address: string } }).address.address = address
    const fips = FIPS[d.state]
    const cd = d.district.padStart(2, '0')
    const [layerName, [cdLayer]] = Object.entries(match.geographies)[0]
    match.geographies = {
      [layerName]: [
        {
          ...cdLayer,
          GEOID: `${fips}${cd}`,
          STATE: fips,
          CD119: cd,
          BASENAME: d.district === '0' ? 'at Large' : String(Number(d.district)),
          NAME: `Congressional District ${Number(d.district)}`,
        },
      ],
    }
    const sld = (which: 'Upper' | 'Lower', field: 'SLDU' | 'SLDL', s?: FakeDistrict['upper']) => {
      if (!s) return
      match.geographies[`2024 State Legislative Districts - ${which}`] = [
        {
          GEOID: `${fips}${s.code}`,
          STATE: fips,
          [field]: s.code,
          BASENAME: s.baseName,
          NAME: s.name ?? `State ${which === 'Upper' ? 'Senate' : 'House'} District ${s.baseName}`,
          LSAD: which === 'Upper' ? 'LU' : 'LL',
        },
      ]
    }
    sld('Upper', 'SLDU', d.upper)
    sld('Lower', 'SLDL', d.lower)
    match.addressComponents = {
      ...match.addressComponents,
      zip: d.zip ?? '',
      state: d.state,
      city: (d.city ?? '').toUpperCase(),
    }
    match.matchedAddress = address.toUpperCase()
    return body
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake')
    if (!url.pathname.endsWith('/geographies/onelineaddress')) {
      res.statusCode = 404
      res.end()
      return
    }
    const address = url.searchParams.get('address') ?? ''
    requests.push(address)
    if (mode === 'hang') return // never answers: the client's timeout fires
    if (mode === 'down') {
      res.statusCode = 503
      res.end('Service Unavailable')
      return
    }
    const k = key(address)
    const fake = synthetic.get(k)
    const body = fake
      ? synthesize(address, fake)
      : (fixtures.get(k) ?? {
          result: {
            input: { ...(template!.result.input as object), address: { address } },
            addressMatches: [],
          },
        })
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify(body))
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  return {
    url: `http://127.0.0.1:${port}/geocoder/`,
    requests,
    setMode(m) {
      mode = m
    },
    addAddress(address, district) {
      synthetic.set(key(address), district)
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
