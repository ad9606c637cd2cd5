// Benchmark (not a test): the dashboard's queries against 1,000,000 signatures.
//   TEST_DATABASE_URL=postgres://… npx tsx tests/load/dashboard-queries.ts [rows]
// Clones the test template, seeds N supporters + signatures over 90 days across the two demo
// campaigns, ANALYZEs, then times each query (median of 7 warm runs) and drops the database.
import { performance } from 'node:perf_hooks'
import { createSql } from '#db/client'
import { campaignTotals, signaturesPerDay } from '#db/queries/metrics'
import { listCampaignsForAdmin } from '#db/queries/campaign-editor'
import {
  createDatabaseFromTemplate,
  databaseUrl,
  dropDatabase,
  ensureTemplateDatabase,
  resolveAdminUrl,
} from '../setup/postgres'

const rows = Number(process.argv[2] ?? 1_000_000)
const { adminUrl, stop } = await resolveAdminUrl()
const template = await ensureTemplateDatabase(adminUrl)
const name = await createDatabaseFromTemplate(adminUrl, template)
const sql = createSql(databaseUrl(adminUrl, name), { max: 2 })

async function time(label: string, fn: () => Promise<unknown>) {
  const samples: number[] = []
  await fn()
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now()
    await fn()
    samples.push(performance.now() - t0)
  }
  samples.sort((a, b) => a - b)
  console.log(
    `${label.padEnd(44)} median ${samples[3].toFixed(1)} ms  (max ${samples[6].toFixed(1)} ms)`,
  )
}

try {
  const t0 = performance.now()
  await sql`
    insert into supporters (email, first_name, last_name, zip, state)
    select 'bench' || g || '@example.org', 'First' || g, 'Last' || g, '97201', 'OR'
    from generate_series(1, ${rows}) g`
  await sql`
    insert into signatures (campaign_id, supporter_id, ref_code, state, created_at, confirmed_at)
    select c.id, s.id, md5(s.id::text),
           'OR', now() - (random() * interval '90 days'),
           case when random() < 0.7 then now() else null end
    from (select id, row_number() over () as n from supporters where email like 'bench%') s
    join lateral (
      select id from campaigns order by slug offset (s.n % 2) limit 1
    ) c on true`
  // as autovacuum would: sets the visibility map, so the covering indexes give index-only scans
  await sql`vacuum analyze signatures`
  await sql`analyze supporters`
  console.log(`seeded ${rows} signatures in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  const [c] = await sql<{ id: string }[]>`select id from campaigns order by slug limit 1`
  await time('campaignTotals (all campaigns)', () => campaignTotals(sql))
  await time('listCampaignsForAdmin', () => listCampaignsForAdmin(sql))
  await time('signaturesPerDay 14 d, all campaigns', () => signaturesPerDay(sql, 14))
  await time('signaturesPerDay 90 d, one campaign', () => signaturesPerDay(sql, 90, c.id))
} finally {
  await sql.end()
  await dropDatabase(adminUrl, name)
  await stop()
}
