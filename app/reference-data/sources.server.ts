import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { getEnv } from '#app/utils/env.server'

// Where reference data comes from. Order: --from, REFERENCE_DATA_DIR, ../shared/data next to the
// project, then the official public URLs. A directory (or a base URL) uses the shared/data layout.
// npm start, data:import and the tests' template database all resolve it here. Downloads from
// the official URLs are kept in .data/reference-cache and read from there on later runs.
// See docs/decisions/0200-reference-data-import.md.

export const FILES = {
  roster: 'congress-legislators/legislators-current.json',
  districtOffices: 'congress-legislators/legislators-district-offices.json',
  social: 'congress-legislators/legislators-social-media.json',
  committees: 'congress-legislators/committees-current.yaml',
  committeeMembership: 'congress-legislators/committee-membership-current.yaml',
  zccd: 'zip-congress/zccd.csv',
  openStates: 'openstates/legislators-state.json',
} as const
export type FileKey = keyof typeof FILES

/** The upstream files when no local copy is configured. */
export const OFFICIAL_URLS: Record<Exclude<FileKey, 'openStates'>, string> = {
  roster: 'https://unitedstates.github.io/congress-legislators/legislators-current.json',
  districtOffices:
    'https://unitedstates.github.io/congress-legislators/legislators-district-offices.json',
  social: 'https://unitedstates.github.io/congress-legislators/legislators-social-media.json',
  committees:
    'https://raw.githubusercontent.com/unitedstates/congress-legislators/main/committees-current.yaml',
  committeeMembership:
    'https://raw.githubusercontent.com/unitedstates/congress-legislators/main/committee-membership-current.yaml',
  zccd: 'https://raw.githubusercontent.com/OpenSourceActivismTech/us-zipcodes-congress/master/zccd.csv',
}
/** Open States publishes one CSV of current legislators per jurisdiction. */
export const OPEN_STATES_CSV_URL = (state: string) =>
  `https://data.openstates.org/people/current/${state.toLowerCase()}.csv`

// Snapshot dates of files we know by content (shared/data/README.md lists their SHA-256), so a
// local copy keeps its true source date rather than the copy's mtime.
const KNOWN_SNAPSHOTS: Record<string, string> = {
  '9447e2430d94e339d9c092cb5d150bfe992eac7f8d3af72bc9e977f8f008e29a': '2026-06-15',
  '6b9d8f71b50d64c10de3cc40f9734856dae409c53cd99d5bde5ee0543342ca8c': '2026-06-15',
  '6f51fe5e20589d60df38ca36cf8145f73d57cba581203d8c3987bd6fe7d4915f': '2026-06-15',
  '2737474129243d8c53df02db43fc5d6e3d2274fe1af131c35517fb437e76fc01': '2024-11-12',
  '7fc2854782ef6d698a259572ebd8e2afe4a3dbc81fe853901a1780fe905a8ee3': '2026-08-05',
  // committees: the same congress-legislators commit as the roster
  c23d5792261983ca8d3c0f61c9864b219f349f75e6404e1e2af272bb36a47f2b: '2026-06-15',
  b969798fdacc1ea00b95a5d760daebdb1b2ddbbfc6ffdc1bfed3dc05c8b99c93: '2026-06-15',
}

export type SourceLocation =
  { kind: 'dir'; dir: string } | { kind: 'url'; base: string } | { kind: 'official' }

export type LoadedFile = { text: string; origin: string; sourceDate: string }

/** The data directory beside the project (../shared/data), when it exists. */
export async function defaultDataDir(root = process.cwd()): Promise<string | undefined> {
  const dir = path.resolve(root, '..', 'shared', 'data')
  return (await isFile(path.join(dir, FILES.roster))) ? dir : undefined
}

/**
 * `configured` is REFERENCE_DATA_DIR; pass it to resolve before the app's environment is complete
 * (the tests' global setup has no DATABASE_URL yet).
 */
export async function resolveSource(
  from?: string,
  {
    configured = () => getEnv().REFERENCE_DATA_DIR,
  }: { configured?: () => string | undefined } = {},
): Promise<SourceLocation> {
  const chosen = from ?? configured()
  if (chosen) {
    if (/^https?:\/\//.test(chosen)) return { kind: 'url', base: chosen.replace(/\/?$/, '/') }
    return { kind: 'dir', dir: path.resolve(chosen) }
  }
  const dir = await defaultDataDir()
  return dir ? { kind: 'dir', dir } : { kind: 'official' }
}

export function describeSource(source: SourceLocation): string {
  if (source.kind === 'dir') return source.dir
  if (source.kind === 'url') return source.base
  return 'official public URLs'
}

/** Reads one file; undefined when an optional file is absent from a directory. */
export async function loadFile(
  source: SourceLocation,
  key: Exclude<FileKey, 'openStates'> | 'openStates',
): Promise<LoadedFile | undefined> {
  if (source.kind === 'dir') {
    const file = path.join(source.dir, FILES[key])
    if (!(await isFile(file))) return undefined
    const text = await fs.readFile(file, 'utf8')
    const stat = await fs.stat(file)
    return { text, origin: file, sourceDate: snapshotDate(text) ?? isoDate(stat.mtime) }
  }
  if (source.kind === 'url') {
    const required = key === 'roster' || key === 'zccd'
    return fetchText(new URL(FILES[key], source.base).toString(), !required)
  }
  if (key === 'openStates') return undefined // fetched per state: loadOpenStatesCsv
  return fetchOfficial(OFFICIAL_URLS[key])
}

/** Where a download from the official URLs is kept (one file per URL, its date beside it). */
export function cachePath(url: string): string {
  const { hostname, pathname } = new URL(url)
  return path.resolve('.data', 'reference-cache', hostname, ...pathname.split('/').filter(Boolean))
}

/** An official file: from .data/reference-cache when it was downloaded before, else downloaded once. */
export async function fetchOfficial(
  url: string,
  optional = false,
): Promise<LoadedFile | undefined> {
  const file = cachePath(url)
  const meta = `${file}.meta.json`
  try {
    const [text, saved] = await Promise.all([fs.readFile(file, 'utf8'), fs.readFile(meta, 'utf8')])
    return {
      text,
      origin: url,
      sourceDate: (JSON.parse(saved) as { sourceDate: string }).sourceDate,
    }
  } catch {
    // not cached yet
  }
  const loaded = await fetchText(url, optional)
  if (loaded) {
    await fs.mkdir(path.dirname(file), { recursive: true })
    await fs.writeFile(file, loaded.text)
    await fs.writeFile(meta, JSON.stringify({ sourceDate: loaded.sourceDate }))
  }
  return loaded
}

export async function fetchText(url: string, optional = false): Promise<LoadedFile | undefined> {
  const response = await fetch(url, { signal: AbortSignal.timeout(60_000) })
  if (response.status === 404 && optional) return undefined
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`)
  const text = await response.text()
  const lastModified = response.headers.get('last-modified')
  const date = lastModified ? new Date(lastModified) : new Date()
  return {
    text,
    origin: url,
    sourceDate: snapshotDate(text) ?? isoDate(isNaN(date.getTime()) ? new Date() : date),
  }
}

function snapshotDate(text: string): string | undefined {
  return KNOWN_SNAPSHOTS[createHash('sha256').update(text).digest('hex')]
}

export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10)
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile()
  } catch {
    return false
  }
}
