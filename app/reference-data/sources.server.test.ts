import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { cachePath, fetchOfficial, resolveSource } from './sources.server'

// The official files are downloaded once, into .data/reference-cache, and read from there after.
let server: http.Server
let base = ''
let requests = 0
const cwd = process.cwd()
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'writ-reference-cache-'))

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests++
    if (req.url === '/missing.csv') {
      res.statusCode = 404
      res.end()
      return
    }
    res.setHeader('Last-Modified', 'Wed, 05 Aug 2026 00:00:00 GMT')
    res.end('zcta,state_fips,state_abbr,zcta,cd\n')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  process.chdir(tmp)
})

afterAll(async () => {
  process.chdir(cwd)
  await new Promise((r) => server.close(r))
  fs.rmSync(tmp, { recursive: true, force: true })
})

test('a download is cached once with its source date, then read from the cache', async () => {
  const first = await fetchOfficial(`${base}/data/zccd.csv`)
  expect(first?.sourceDate).toBe('2026-08-05')
  expect(requests).toBe(1)
  expect(cachePath(`${base}/data/zccd.csv`)).toBe(
    path.join(fs.realpathSync(tmp), '.data', 'reference-cache', '127.0.0.1', 'data', 'zccd.csv'),
  )
  const again = await fetchOfficial(`${base}/data/zccd.csv`)
  expect(again).toEqual(first)
  expect(requests).toBe(1)
  expect(await fetchOfficial(`${base}/missing.csv`, true)).toBeUndefined()
})

test('the order: an explicit source, then REFERENCE_DATA_DIR, then ../shared/data, then official', async () => {
  expect(await resolveSource('/some/dir', { configured: () => '/other' })).toEqual({
    kind: 'dir',
    dir: '/some/dir',
  })
  expect(await resolveSource(undefined, { configured: () => '/other' })).toEqual({
    kind: 'dir',
    dir: '/other',
  })
  // the temporary directory has no ../shared/data beside it
  expect(await resolveSource(undefined, { configured: () => undefined })).toEqual({
    kind: 'official',
  })
})
