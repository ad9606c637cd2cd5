import fs from 'node:fs/promises'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { ensureReferenceDir } from './reference-dir'

// A clone with no REFERENCE_DATA_DIR and no ../shared/data downloads what the tests read, once,
// from the official URLs (a local server stands in for them here), into the shared/data layout.
let server: http.Server
let base = ''
const requests: string[] = []
beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push(req.url ?? '')
    res.setHeader('last-modified', 'Mon, 15 Jun 2026 19:27:44 GMT')
    res.end(`contents of ${req.url}`)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

test('the order: REFERENCE_DATA_DIR, then ../shared/data, then the official URLs, downloaded once', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'writ-clone-'))
  const clone = path.join(root, 'writ')
  await fs.mkdir(clone)
  const options = {
    root: clone,
    configured: undefined,
    officialUrls: { roster: `${base}/gh/legislators-current.json`, zccd: `${base}/zccd.csv` },
    fixtureUrls: { 'census-geocoder-onelineaddress-ny12.json': `${base}/fixtures/ny12.json` },
  }
  const cwd = process.cwd()
  process.chdir(clone) // the download cache is .data/ of the project being run
  try {
    const dir = await ensureReferenceDir(options)
    expect(dir).toBe(path.join(clone, '.data', 'reference-cache', 'shared-layout'))
    expect(
      await fs.readFile(path.join(dir, 'congress-legislators/legislators-current.json'), 'utf8'),
    ).toBe('contents of /gh/legislators-current.json')
    expect(await fs.readFile(path.join(dir, 'zip-congress/zccd.csv'), 'utf8')).toBe(
      'contents of /zccd.csv',
    )
    expect(
      await fs.readFile(
        path.join(dir, 'fixtures/census-geocoder-onelineaddress-ny12.json'),
        'utf8',
      ),
    ).toBe('contents of /fixtures/ny12.json')
    const fetched = requests.length
    expect(fetched).toBe(3)
    await ensureReferenceDir(options)
    expect(requests.length).toBe(fetched)

    // ../shared/data beside the project wins over the downloads, and REFERENCE_DATA_DIR over both
    const shared = path.join(root, 'shared', 'data')
    await fs.mkdir(path.join(shared, 'congress-legislators'), { recursive: true })
    await fs.writeFile(path.join(shared, 'congress-legislators/legislators-current.json'), '[]')
    expect(await ensureReferenceDir(options)).toBe(shared)
    expect(await ensureReferenceDir({ ...options, configured: '/data/writ' })).toBe('/data/writ')
  } finally {
    process.chdir(cwd)
    await fs.rm(root, { recursive: true, force: true })
  }
})
