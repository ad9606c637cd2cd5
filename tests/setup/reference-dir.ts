import fs from 'node:fs/promises'
import path from 'node:path'
import { fetchOfficial, OFFICIAL_URLS, FILES } from '#app/reference-data/sources.server'

// Some tests read the reference data's raw files (the import tests) and the recorded Census
// Geocoder answers (the fake geocoder). They find them where npm start finds the data:
// REFERENCE_DATA_DIR, then ../shared/data beside the project, and on a clone with neither, the
// official public URLs, downloaded once into .data/reference-cache and laid out as shared/data is.

/** The recorded Census Geocoder answers, at the commit the shared copy was taken from. */
export const OFFICIAL_FIXTURES = {
  'census-geocoder-onelineaddress-ny12.json':
    'https://raw.githubusercontent.com/cm2489/oravan/a01743f65fc3711c03d503caed99514387c199fc/tests/fixtures/census-district-ny12.json',
  'census-geocoder-onelineaddress-at-large.json':
    'https://raw.githubusercontent.com/cm2489/oravan/a01743f65fc3711c03d503caed99514387c199fc/tests/fixtures/census-district-at-large.json',
  'census-geocoder-onelineaddress-delegate.json':
    'https://raw.githubusercontent.com/cm2489/oravan/a01743f65fc3711c03d503caed99514387c199fc/tests/fixtures/census-district-delegate.json',
} as const

const exists = (p: string) =>
  fs.stat(p).then(
    () => true,
    () => false,
  )

/**
 * A directory in the shared/data layout holding at least the congress-legislators files, zccd.csv
 * and the geocoder fixtures. `officialUrls` and `fixtureUrls` are for this module's own test.
 */
export async function ensureReferenceDir({
  configured = process.env.REFERENCE_DATA_DIR,
  root = process.cwd(),
  officialUrls = OFFICIAL_URLS,
  fixtureUrls = OFFICIAL_FIXTURES as Record<string, string>,
}: {
  configured?: string
  root?: string
  officialUrls?: Record<string, string>
  fixtureUrls?: Record<string, string>
} = {}): Promise<string> {
  if (configured) return path.resolve(configured)
  const shared = path.resolve(root, '..', 'shared', 'data')
  if (await exists(path.join(shared, FILES.roster))) return shared
  const dir = path.resolve(root, '.data', 'reference-cache', 'shared-layout')
  for (const [key, url] of Object.entries(officialUrls)) {
    const target = path.join(dir, FILES[key as keyof typeof FILES])
    if (await exists(target)) continue
    const loaded = await fetchOfficial(url)
    await fs.mkdir(path.dirname(target), { recursive: true })
    await fs.writeFile(target, loaded!.text)
  }
  for (const [name, url] of Object.entries(fixtureUrls)) {
    const target = path.join(dir, 'fixtures', name)
    if (await exists(target)) continue
    const loaded = await fetchOfficial(url)
    await fs.mkdir(path.dirname(target), { recursive: true })
    await fs.writeFile(target, loaded!.text)
  }
  return dir
}
