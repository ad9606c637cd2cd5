import fs from 'node:fs/promises'
import path from 'node:path'
import { createSql, type Db } from '#db/client'
import {
  deleteLegislators,
  deleteOffices,
  deleteZipDistricts,
  insertReferenceImport,
  insertZipDistricts,
  lockReferenceImport,
  selectLegislators,
  selectOffices,
  selectZipDistricts,
  setZipSourceDate,
  upsertLegislators,
  upsertOffices,
  type LegislatorRow,
  type OfficeRow,
  type ZipRow,
} from '#db/queries/reference-data'
import {
  deleteCommitteeMembers,
  deleteCommittees,
  selectCommitteeMembers,
  selectCommittees,
  upsertCommitteeMembers,
  upsertCommittees,
} from '#db/queries/committees'
import { invalidateLookupIndexes } from '#app/targets/lookup.server'
import { getEnv } from '#app/utils/env.server'
import {
  houseCwcCode,
  houseOfficeId,
  openStatesCsvToRecords,
  parseCongress,
  parseCsv,
  parseOpenStates,
  parseZccd,
  TERRITORY_DELEGATE_SEATS,
  type BadRow,
} from './records.server'
import { parseCommittees, planCommitteeChanges, type CommitteeDiff } from './committees.server'
import {
  describeSource,
  fetchOfficial,
  loadFile,
  OPEN_STATES_CSV_URL,
  resolveSource,
  type SourceLocation,
} from './sources.server'

// `npm run data:import`: loads the reference data into Postgres in one transaction, writing only
// what changed, and reports what changed. See docs/decisions/0200-reference-data-import.md.

export type ImportOptions = {
  /** A directory or base URL; default REFERENCE_DATA_DIR, ../shared/data, official URLs. */
  from?: string
  /** REFERENCE_DATA_DIR, for callers that run before the app's environment is complete. */
  configured?: () => string | undefined
  /** A pool to use (tests, prepare); otherwise one is opened and closed. */
  sql?: Db
  onProgress?: (message: string) => void
  /** Where the JSON report goes; default .data/reference-imports/. Null: no file. */
  reportDir?: string | null
}

type PersonRef = { id: string; name: string; officeId: string | null }
export type ImportDiff = {
  initial: boolean
  holderChanged: Array<{
    officeId: string
    before: { id: string; name: string } | null
    after: { id: string; name: string } | null
  }>
  membersAdded: PersonRef[]
  membersRemoved: PersonRef[]
  membersUpdated: number
  officesAdded: string[]
  officesRemoved: string[]
  districtsRemapped: Array<{ zcta: string; before: string[]; after: string[] }>
  zipsAdded: number
  zipsRemoved: number
} & Partial<CommitteeDiff>

export type ImportReport = {
  importId: number
  source: string
  sourceDates: {
    congress?: string
    committees?: string
    zipDistricts?: string
    openStates?: string
  }
  counts: Record<string, number>
  badRows: BadRow[]
  diff: ImportDiff
  reportFile: string | null
  changed: boolean
}

const STATE_JURISDICTIONS =
  'al ak az ar ca co ct de dc fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh nj nm ny nc nd oh ok or pa pr ri sc sd tn tx ut vt va wa wv wi wy'.split(
    ' ',
  )

export async function importReferenceData(options: ImportOptions = {}): Promise<ImportReport> {
  const progress = options.onProgress ?? (() => {})
  const startedAt = new Date()
  const source = await resolveSource(
    options.from,
    options.configured ? { configured: options.configured } : {},
  )
  progress(`Reading reference data from ${describeSource(source)}`)

  const roster = await loadFile(source, 'roster')
  const zccd = await loadFile(source, 'zccd')
  if (!roster) throw new Error(`No congress-legislators roster in ${describeSource(source)}`)
  if (!zccd) throw new Error(`No zip-congress/zccd.csv in ${describeSource(source)}`)
  const [districtOffices, social, committeesFile, membershipFile] = await Promise.all([
    loadFile(source, 'districtOffices'),
    loadFile(source, 'social'),
    loadFile(source, 'committees'),
    loadFile(source, 'committeeMembership'),
  ])

  const congress = parseCongress({
    roster: roster.text,
    districtOffices: districtOffices?.text,
    social: social?.text,
    sourceDate: roster.sourceDate,
  })
  progress(
    `congress-legislators (${roster.sourceDate}): ${congress.legislators.length} members, ${congress.bad.length} bad rows`,
  )
  const zips = parseZccd(zccd.text, zccd.sourceDate)
  progress(
    `zccd.csv (${zccd.sourceDate}): ${zips.rows.length} ZIP-district rows, ${zips.bad.length} bad rows`,
  )

  // Without both committee files the committees are left as they are.
  const committees =
    committeesFile && membershipFile
      ? parseCommittees({
          committees: committeesFile.text,
          membership: membershipFile.text,
          sourceDate: committeesFile.sourceDate,
        })
      : undefined
  progress(
    committees
      ? `committees (${committeesFile!.sourceDate}): ${committees.committees.length} committees and subcommittees, ${committees.members.length} memberships, ${committees.bad.length} bad rows`
      : 'committees: no files in this source; committees are left as they are',
  )

  const openStates = await loadOpenStates(source, progress)
  const badRows = [
    ...congress.bad,
    ...(committees?.bad ?? []),
    ...zips.bad,
    ...(openStates?.bad ?? []),
  ]

  const sql =
    options.sql ?? createSql(getEnv().DATABASE_URL, { max: 2, applicationName: 'writ-import' })
  try {
    const result = await sql.begin(async (tx) => {
      await lockReferenceImport(tx)
      const [beforeLegislators, beforeOffices, beforeZips, beforeCommittees, beforeMembers] =
        await Promise.all([
          selectLegislators(tx),
          selectOffices(tx),
          selectZipDistricts(tx),
          selectCommittees(tx),
          selectCommitteeMembers(tx),
        ])
      progress(
        `Database holds ${beforeLegislators.length} legislators, ${beforeOffices.length} offices, ${beforeZips.length} ZIP rows`,
      )

      const federalOffices = withVacantSeats(
        congress.offices,
        zips.rows,
        beforeOffices,
        roster.sourceDate,
      )
      const keepState = !openStates // no Open States source: leave state data as it is
      const afterLegislators = [
        ...congress.legislators,
        ...(keepState
          ? beforeLegislators.filter((l) => l.source === 'openstates')
          : openStates.legislators),
      ]
      const afterOffices = [
        ...federalOffices,
        ...(keepState
          ? beforeOffices.filter((o) => o.chamber.startsWith('state_'))
          : openStates.offices),
      ]

      const plan = planChanges({
        beforeLegislators,
        afterLegislators,
        beforeOffices,
        afterOffices,
        beforeZips,
        afterZips: zips.rows,
      })

      progress(
        `Writing ${plan.legislatorUpserts.length} legislators, ${plan.officeUpserts.length} offices, ${plan.zipInserts.length} ZIP rows`,
      )
      const batches = (what: string) => (done: number, total: number) =>
        progress(`  ${what}: ${done}/${total}`)
      await upsertLegislators(tx, plan.legislatorUpserts, batches('legislators'))
      await upsertOffices(tx, plan.officeUpserts, batches('offices'))
      await deleteOffices(tx, plan.officeDeletes)
      await deleteLegislators(tx, plan.legislatorDeletes)
      await deleteZipDistricts(tx, plan.zipDeletes)
      await insertZipDistricts(tx, plan.zipInserts, batches('ZIP rows'))
      const zipDateUpdates = await setZipSourceDate(tx, zccd.sourceDate)

      const committeePlan = committees
        ? planCommitteeChanges({
            beforeCommittees,
            afterCommittees: committees.committees,
            beforeMembers,
            afterMembers: committees.members,
          })
        : undefined
      if (committeePlan) {
        await deleteCommitteeMembers(tx, committeePlan.memberDeletes)
        await deleteCommittees(tx, committeePlan.committeeDeletes)
        await upsertCommittees(tx, committeePlan.committeeUpserts)
        await upsertCommitteeMembers(tx, committeePlan.memberUpserts)
        Object.assign(plan.diff, committeePlan.diff)
      }

      const counts = {
        legislators: afterLegislators.length,
        congressMembers: congress.legislators.length,
        stateLegislators: afterLegislators.length - congress.legislators.length,
        offices: afterOffices.length,
        vacantOffices: afterOffices.filter((o) => !o.holderId).length,
        zipRows: zips.rows.length,
        zctas: new Set(zips.rows.map((z) => z.zcta)).size,
        badRows: badRows.length,
        legislatorsWritten: plan.legislatorUpserts.length + plan.legislatorDeletes.length,
        officesWritten: plan.officeUpserts.length + plan.officeDeletes.length,
        zipRowsWritten: plan.zipInserts.length + plan.zipDeletes.length + zipDateUpdates,
        committees: committees?.committees.length ?? beforeCommittees.length,
        committeeMembers: committees?.members.length ?? beforeMembers.length,
        committeeRowsWritten: committeePlan
          ? committeePlan.committeeUpserts.length +
            committeePlan.committeeDeletes.length +
            committeePlan.memberUpserts.length +
            committeePlan.memberDeletes.length
          : 0,
      }
      const sourceDates = {
        congress: roster.sourceDate,
        ...(committeesFile && committees ? { committees: committeesFile.sourceDate } : {}),
        zipDistricts: zccd.sourceDate,
        ...(openStates ? { openStates: openStates.sourceDate } : {}),
      }
      const importId = await insertReferenceImport(tx, {
        source: describeSource(source),
        startedAt,
        counts: { ...counts, sourceDates },
        badRows: badRows.slice(0, 1000),
        diff: plan.diff,
      })
      const changed =
        counts.legislatorsWritten +
          counts.officesWritten +
          counts.zipRowsWritten +
          counts.committeeRowsWritten >
        0
      return { importId, counts, sourceDates, changed, diff: plan.diff }
    })

    invalidateLookupIndexes()
    let reportFile: string | null = null
    if (options.reportDir !== null) {
      const dir = options.reportDir ?? path.resolve('.data', 'reference-imports')
      await fs.mkdir(dir, { recursive: true })
      reportFile = path.join(
        dir,
        `${startedAt.toISOString().replace(/[:.]/g, '-')}-${result.importId}.json`,
      )
      await fs.writeFile(
        reportFile,
        JSON.stringify({ source: describeSource(source), startedAt, ...result, badRows }, null, 2),
      )
    }
    return {
      importId: result.importId,
      source: describeSource(source),
      sourceDates: result.sourceDates,
      counts: result.counts,
      badRows,
      diff: result.diff,
      reportFile,
      changed: result.changed,
    }
  } finally {
    if (!options.sql) await sql.end({ timeout: 5 })
  }
}

async function loadOpenStates(
  source: SourceLocation,
  progress: (m: string) => void,
): Promise<(ReturnType<typeof parseOpenStates> & { sourceDate: string }) | undefined> {
  if (source.kind === 'official') {
    // The public per-jurisdiction CSVs; a failure of one state aborts (no partial state data).
    const records: unknown[] = []
    let sourceDate = ''
    for (const [i, st] of STATE_JURISDICTIONS.entries()) {
      const file = await fetchOfficial(OPEN_STATES_CSV_URL(st), true)
      if (!file) continue
      sourceDate = file.sourceDate > sourceDate ? file.sourceDate : sourceDate
      records.push(...openStatesCsvToRecords(parseCsv(file.text), st))
      progress(`Open States: ${i + 1}/${STATE_JURISDICTIONS.length} jurisdictions`)
    }
    const parsed = parseOpenStates(records, sourceDate)
    return { ...parsed, sourceDate }
  }
  const file = await loadFile(source, 'openStates')
  if (!file) {
    progress('Open States: no file in this source; state legislators are left as they are')
    return undefined
  }
  const records = JSON.parse(file.text) as unknown
  if (!Array.isArray(records)) throw new Error('legislators-state.json is not an array')
  const parsed = parseOpenStates(records, file.sourceDate)
  progress(
    `Open States (${file.sourceDate}): ${parsed.legislators.length} current legislators in ${parsed.offices.length} seats, ${parsed.bad.length} bad rows`,
  )
  return { ...parsed, sourceDate: file.sourceDate }
}

/**
 * Seats exist whether or not someone holds them: every House district in the ZIP file, the four
 * territorial delegates it lacks, and every Senate seat we held before. A seat without a holder in
 * the new roster is vacant, never filled from an older record.
 */
function withVacantSeats(
  held: OfficeRow[],
  zips: ZipRow[],
  before: OfficeRow[],
  sourceDate: string,
): OfficeRow[] {
  const offices = new Map(held.map((o) => [o.id, o]))
  const seat = (state: string, district: string) => {
    const id = houseOfficeId(state, district)
    if (!offices.has(id)) {
      offices.set(id, {
        id,
        chamber: 'house',
        state,
        district: String(Number(district)),
        senateClass: null,
        cwcCode: houseCwcCode(state, district),
        holderId: null,
        sourceDate,
      })
    }
  }
  for (const z of zips) seat(z.state, z.district)
  for (const st of TERRITORY_DELEGATE_SEATS) seat(st, '0')
  for (const o of before) {
    if (o.chamber === 'senate' && !offices.has(o.id)) {
      offices.set(o.id, { ...o, holderId: null, sourceDate })
    }
  }
  return [...offices.values()]
}

type Plan = {
  legislatorUpserts: LegislatorRow[]
  legislatorDeletes: string[]
  officeUpserts: OfficeRow[]
  officeDeletes: string[]
  zipInserts: ZipRow[]
  zipDeletes: ZipRow[]
  diff: ImportDiff
}

/** What to write, and the human diff, from the rows before and after. Pure. */
export function planChanges(input: {
  beforeLegislators: LegislatorRow[]
  afterLegislators: LegislatorRow[]
  beforeOffices: OfficeRow[]
  afterOffices: OfficeRow[]
  beforeZips: ZipRow[]
  afterZips: ZipRow[]
}): Plan {
  const initial = input.beforeOffices.length === 0
  const beforeL = new Map(input.beforeLegislators.map((l) => [l.id, l]))
  const afterL = new Map(input.afterLegislators.map((l) => [l.id, l]))
  const beforeO = new Map(input.beforeOffices.map((o) => [o.id, o]))
  const afterO = new Map(input.afterOffices.map((o) => [o.id, o]))
  const officeOf = (offices: Map<string, OfficeRow>) => {
    const byHolder = new Map<string, string>()
    for (const o of offices.values()) if (o.holderId) byHolder.set(o.holderId, o.id)
    return byHolder
  }
  const beforeSeat = officeOf(beforeO)
  const afterSeat = officeOf(afterO)
  const person = (id: string | null, map: Map<string, LegislatorRow>) =>
    id ? { id, name: map.get(id)?.fullName ?? id } : null

  const legislatorUpserts = input.afterLegislators.filter((l) => {
    const old = beforeL.get(l.id)
    return !old || stableJson(old) !== stableJson(l)
  })
  const legislatorDeletes = [...beforeL.keys()].filter((id) => !afterL.has(id))
  const officeUpserts = input.afterOffices.filter((o) => {
    const old = beforeO.get(o.id)
    return !old || stableJson(old) !== stableJson(o)
  })
  const officeDeletes = [...beforeO.keys()].filter((id) => !afterO.has(id))

  const zipKey = (z: ZipRow) => `${z.zcta}|${z.state}|${z.district}`
  const beforeZ = new Map(input.beforeZips.map((z) => [zipKey(z), z]))
  const afterZ = new Map(input.afterZips.map((z) => [zipKey(z), z]))
  const zipInserts = input.afterZips.filter((z) => !beforeZ.has(zipKey(z)))
  const zipDeletes = input.beforeZips.filter((z) => !afterZ.has(zipKey(z)))

  const diff: ImportDiff = {
    initial,
    holderChanged: [],
    membersAdded: [],
    membersRemoved: [],
    membersUpdated: legislatorUpserts.filter((l) => beforeL.has(l.id)).length,
    officesAdded: [],
    officesRemoved: [],
    districtsRemapped: [],
    zipsAdded: 0,
    zipsRemoved: 0,
  }
  // On the first import everything is "added"; the counts say enough.
  if (initial)
    return {
      legislatorUpserts,
      legislatorDeletes,
      officeUpserts,
      officeDeletes,
      zipInserts,
      zipDeletes,
      diff,
    }

  for (const o of input.afterOffices) {
    const old = beforeO.get(o.id)
    if (!old) diff.officesAdded.push(o.id)
    else if (old.holderId !== o.holderId) {
      diff.holderChanged.push({
        officeId: o.id,
        before: person(old.holderId, beforeL),
        after: person(o.holderId, afterL),
      })
    }
  }
  diff.officesRemoved = officeDeletes
  for (const l of input.afterLegislators) {
    if (!beforeL.has(l.id)) {
      diff.membersAdded.push({ id: l.id, name: l.fullName, officeId: afterSeat.get(l.id) ?? null })
    }
  }
  for (const id of legislatorDeletes) {
    diff.membersRemoved.push({
      id,
      name: beforeL.get(id)!.fullName,
      officeId: beforeSeat.get(id) ?? null,
    })
  }

  const districtsOf = (rows: ZipRow[]) => {
    const m = new Map<string, string[]>()
    for (const z of rows) {
      const list = m.get(z.zcta) ?? []
      list.push(`${z.state}-${z.district}`)
      m.set(z.zcta, list)
    }
    return m
  }
  const changedZctas = new Set([...zipInserts, ...zipDeletes].map((z) => z.zcta))
  const beforeByZip = districtsOf(input.beforeZips.filter((z) => changedZctas.has(z.zcta)))
  const afterByZip = districtsOf(input.afterZips.filter((z) => changedZctas.has(z.zcta)))
  for (const zcta of [...changedZctas].sort()) {
    const before = (beforeByZip.get(zcta) ?? []).sort()
    const after = (afterByZip.get(zcta) ?? []).sort()
    if (!before.length) diff.zipsAdded++
    else if (!after.length) diff.zipsRemoved++
    diff.districtsRemapped.push({ zcta, before, after })
  }
  return {
    legislatorUpserts,
    legislatorDeletes,
    officeUpserts,
    officeDeletes,
    zipInserts,
    zipDeletes,
    diff,
  }
}

/** JSON with sorted keys, so that jsonb's key order does not count as a change. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  )
}

/** A short text version of the diff for the terminal. */
export function formatDiff(diff: ImportDiff, limit = 25): string {
  if (diff.initial) return 'First import: no previous data to compare.'
  const lines: string[] = []
  const section = <T>(title: string, items: T[], show: (x: T) => string) => {
    lines.push(`${title}: ${items.length}`)
    for (const x of items.slice(0, limit)) lines.push(`  ${show(x)}`)
    if (items.length > limit)
      lines.push(`  … and ${items.length - limit} more (see the JSON report)`)
  }
  section(
    'Offices whose holder changed',
    diff.holderChanged,
    (c) => `${c.officeId}: ${c.before?.name ?? 'vacant'} → ${c.after?.name ?? 'vacant'}`,
  )
  section(
    'Members added',
    diff.membersAdded,
    (m) => `${m.name} (${m.id})${m.officeId ? ` ${m.officeId}` : ''}`,
  )
  section(
    'Members removed',
    diff.membersRemoved,
    (m) => `${m.name} (${m.id})${m.officeId ? ` ${m.officeId}` : ''}`,
  )
  section('Seats added', diff.officesAdded, (id) => id)
  section('Seats removed', diff.officesRemoved, (id) => id)
  section(
    'ZIPs whose districts changed',
    diff.districtsRemapped,
    (z) => `${z.zcta}: ${z.before.join(', ') || '(none)'} → ${z.after.join(', ') || '(none)'}`,
  )
  section('Committees added', diff.committeesAdded ?? [], (id) => id)
  section('Committees removed', diff.committeesRemoved ?? [], (id) => id)
  section(
    'Members who joined a committee',
    diff.committeeMembersJoined ?? [],
    (m) => `${m.name} (${m.bioguide}) joined ${m.committee} (${m.committeeId})`,
  )
  section(
    'Members who left a committee',
    diff.committeeMembersLeft ?? [],
    (m) => `${m.name} (${m.bioguide}) left ${m.committee} (${m.committeeId})`,
  )
  lines.push(`Members whose details changed: ${diff.membersUpdated}`)
  return lines.join('\n')
}
