// Lookup micro-benchmark: in-process lookupByZip latency over random real ZIPs (ZCTAs from the
// imported zccd.csv). Standalone: `npx tsx tests/load/lookup.ts` clones the test template database
// (TEST_DATABASE_URL or an embedded Postgres), which holds the reference data.
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { closeSql, getSql } from '#db/client'
import { invalidateLookupIndexes, lookupByZip } from '#app/targets/lookup.server'
import { resetEnv } from '#app/utils/env.server'
import { configureSqlFromEnv } from '#app/utils/sql.server'
import {
  createDatabaseFromTemplate,
  databaseUrl,
  dropDatabase,
  ensureTemplateDatabase,
  resolveAdminUrl,
} from '../setup/postgres'

export type LookupBenchmark = {
  zips: number
  p50_ms: number
  p99_ms: number
  max_ms: number
  index_build_ms: number
  statuses: Record<string, number>
}

/** Uses the app's database (DATABASE_URL), which must hold imported reference data. */
export async function measureLookup({ zips = 10_000 } = {}): Promise<LookupBenchmark> {
  configureSqlFromEnv()
  const rows = await getSql()<{ zcta: string }[]>`select distinct zcta from zip_districts`
  if (!rows.length) throw new Error('No ZIP data: run npm run data:import first')
  const sample = Array.from(
    { length: zips },
    () => rows[Math.floor(Math.random() * rows.length)].zcta,
  )

  invalidateLookupIndexes()
  const buildStart = performance.now()
  await lookupByZip(sample[0]) // builds the indexes
  const indexBuildMs = performance.now() - buildStart

  const times: number[] = []
  const statuses: Record<string, number> = {}
  for (const zip of sample) {
    const t0 = performance.now()
    const result = await lookupByZip(zip)
    times.push(performance.now() - t0)
    statuses[result.status] = (statuses[result.status] ?? 0) + 1
  }
  times.sort((a, b) => a - b)
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]
  const round = (n: number) => Math.round(n * 1000) / 1000
  return {
    zips,
    p50_ms: round(pct(50)),
    p99_ms: round(pct(99)),
    max_ms: round(times[times.length - 1]),
    index_build_ms: Math.round(indexBuildMs),
    statuses,
  }
}

/** Points the app at `url` for one measurement, then restores DATABASE_URL. */
export async function measureLookupOn(url: string, zips = 10_000): Promise<LookupBenchmark> {
  const previous = process.env.DATABASE_URL
  process.env.DATABASE_URL = url
  process.env.NODE_ENV ??= 'test'
  resetEnv()
  await closeSql(1)
  try {
    return await measureLookup({ zips })
  } finally {
    await closeSql(1)
    invalidateLookupIndexes()
    process.env.DATABASE_URL = previous
    resetEnv()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { adminUrl, stop } = await resolveAdminUrl()
  const name = await createDatabaseFromTemplate(adminUrl, await ensureTemplateDatabase(adminUrl))
  try {
    const result = await measureLookupOn(
      databaseUrl(adminUrl, name),
      Number(process.env.BENCH_ZIPS ?? 10_000),
    )
    console.log(JSON.stringify({ lookup: result }, null, 2))
  } finally {
    await dropDatabase(adminUrl, name)
    await stop()
  }
  process.exit(0)
}
