// Benchmark (not a test): every query of the dashboards against 1,000,000 signatures.
//   TEST_DATABASE_URL=postgres://… npx tsx tests/load/dashboard-queries.ts [rows]
// Clones the test template and seeds, with the rollup triggers live: N supporters and signatures
// over 90 days in two campaigns (places from the ZIP crosswalk, sources, referrers, 30 % referred,
// 1 % held), 3 page views per signature, a letter for 20 % of signers with 3 office copies each
// (mostly delivered, some failed or stuck), and 2 % donors (a quarter monthly). Then VACUUM
// ANALYZE (as autovacuum would), and times each query: median of 7 warm runs. "before" is the
// same answer computed from the source tables (what the dashboard did before the rollups).
import { performance } from 'node:perf_hooks'
import { createSql, type Sql } from '#db/client'
import {
  campaignTotals,
  deliveriesByOffice,
  donationSummary,
  funnel,
  problemDeliveries,
  rebuildMetrics,
  referralLeaderboard,
  signaturesByPlace,
  signaturesOverTime,
  topSources,
} from '#db/queries/metrics'
import { listCampaignsForAdmin } from '#db/queries/campaigns'
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

async function time(fn: () => Promise<unknown>) {
  const samples: number[] = []
  await fn()
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now()
    await fn()
    samples.push(performance.now() - t0)
  }
  samples.sort((a, b) => a - b)
  return { median: samples[3]!, max: samples[6]! }
}

// "Before": the same numbers straight from the source tables.
const source = {
  totals: (s: Sql, c?: string) => s`
    select campaign_id, count(*) filter (where confirmed_at is not null), count(*)
    from signatures where not held ${c ? s`and campaign_id = ${c}` : s``} group by 1`,
  hourly: (s: Sql, c?: string) => s`
    select date_trunc('hour', created_at, 'UTC'), count(*), count(confirmed_at) from signatures
    where not held and created_at > now() - interval '48 hours'
    ${c ? s`and campaign_id = ${c}` : s``} group by 1`,
  daily: (s: Sql, c?: string) => s`
    select date_trunc('day', created_at, 'UTC'), count(*), count(confirmed_at) from signatures
    where not held and created_at > now() - interval '30 days'
    ${c ? s`and campaign_id = ${c}` : s``} group by 1`,
  funnel: (s: Sql, c?: string) => s`
    select (select count(*) from page_views where true ${c ? s`and campaign_id = ${c}` : s``}),
           (select count(*) from signatures where not held ${c ? s`and campaign_id = ${c}` : s``}),
           (select count(*) from letters where true ${c ? s`and campaign_id = ${c}` : s``}),
           (select count(*) from letters l where ${c ? s`l.campaign_id = ${c} and` : s``}
              not exists (select 1 from deliveries d where d.letter_id = l.id and d.status <> 'delivered'))`,
  sources: (s: Sql, c?: string) => s`
    select source, count(*) from signatures where not held ${c ? s`and campaign_id = ${c}` : s``}
    group by 1 order by 2 desc limit 10`,
  viewSources: (s: Sql, c?: string) => s`
    select source, count(*) from page_views where true ${c ? s`and campaign_id = ${c}` : s``}
    group by 1 order by 2 desc limit 10`,
  referrals: (s: Sql, c?: string) => s`
    select referred_by, count(*) from signatures
    where not held and referred_by is not null ${c ? s`and campaign_id = ${c}` : s``}
    group by 1 order by 2 desc limit 10`,
  districts: (s: Sql, c?: string) => s`
    select state, congressional_district, count(*) from signatures
    where not held ${c ? s`and campaign_id = ${c}` : s``} group by 1, 2 order by 3 desc limit 25`,
  offices: (s: Sql, c?: string) => s`
    select d.office_key, d.status, count(*) from deliveries d join letters l on l.id = d.letter_id
    where true ${c ? s`and l.campaign_id = ${c}` : s``} group by 1, 2`,
}

try {
  let t0 = performance.now()
  await sql`
    insert into supporters (email, first_name, last_name, zip, state)
    select 'bench' || g || '@example.org', 'First' || g, 'Last' || g, '97201', 'OR'
    from generate_series(1, ${rows}) g`
  const campaigns = await sql<{ id: string }[]>`select id from campaigns order by slug limit 2`
  // places: single-district ZIPs from the crosswalk, spread over every state
  await sql`
    create temp table bench_places as
    select row_number() over (order by zcta) as n, state, district from (
      select zcta, min(state) as state, min(district) as district from zip_districts
      group by zcta having count(*) = 1) z`
  const [{ places }] = await sql<
    { places: number }[]
  >`select count(*)::int as places from bench_places`
  const seedSignatures = async (from: number, to: number) => sql`
    insert into signatures (campaign_id, supporter_id, ref_code, referred_by, state,
                            congressional_district, source, referrer_host, held, created_at,
                            confirmed_at)
    select case when s.n % 2 = 0 then ${campaigns[0]!.id}::uuid else ${campaigns[1]!.id}::uuid end,
           s.id, md5(s.id::text),
           case when s.n > 20000 and s.n % 10 < 3 then (s.n % 10000) + 2 - (s.n % 2) end,
           p.state, p.district,
           (array['newsletter', 'facebook', 'twitter', 'partner', null])[1 + s.n % 5],
           (array['www.facebook.com', 't.co', 'news.example.org', null])[1 + s.n % 4],
           s.n % 100 = 0,
           now() - (random() * interval '90 days'),
           case when random() < 0.7 then now() else null end
    from (select id, row_number() over (order by id) as n from supporters
          where email like 'bench%') s
    join bench_places p on p.n = 1 + (s.n * 7919) % ${places}
    where s.n between ${from} and ${to}`
  // the first 10,000 signers are the ones others are referred by (seeded first)
  // In chunks (under the per-row counter trigger of 0010, until 0140 replaced it, one 1M-row
  // insert was quadratic: it updated the same 16 rows per campaign, whose dead versions could not
  // be pruned within one statement).
  for (let from = 1; from <= rows; from += 10_000) await seedSignatures(from, from + 9_999)
  console.log(`signatures: ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  t0 = performance.now()
  await sql`
    insert into page_views (campaign_id, path, source, referrer_host, created_at)
    select case when g % 2 = 0 then ${campaigns[0]!.id}::uuid else ${campaigns[1]!.id}::uuid end,
           '/c/x', (array['newsletter', 'facebook', 'twitter', 'partner', null])[1 + g % 5],
           (array['www.facebook.com', 't.co', 'news.example.org', null])[1 + g % 4],
           now() - (random() * interval '90 days')
    from generate_series(1, ${rows * 3}) g`
  console.log(`page views: ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  t0 = performance.now()
  await sql`
    insert into letters (campaign_id, supporter_id, signature_id, status_token_hash, subject, body,
                         created_at)
    select campaign_id, supporter_id, id, sha256(ref_code::bytea), 'Subject', 'Body', created_at
    from signatures where id % 5 = 0`
  await sql`
    insert into deliveries (letter_id, campaign_id, office_key, office_name, office_title, channel,
                            status, last_error, created_at, updated_at)
    select x.id, x.campaign_id, x.key || '/' || (abs(hashtext(x.id::text)) % 300),
           'Office ' || x.key, 'Title', 'email',
           case when r < 0.94 then 'delivered' when r < 0.96 then 'failed'
                when r < 0.98 then 'queued' else 'sending' end,
           case when r >= 0.94 and r < 0.96 then 'rejected' end,
           x.created_at, x.created_at
    from (select l.id, l.campaign_id, l.created_at, o.key, random() as r
          from letters l cross join (values ('house'), ('senate1'), ('senate2')) as o (key)) x`
  console.log(`letters and deliveries: ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  t0 = performance.now()
  await sql`
    insert into donation_subscriptions (stripe_subscription_id, stripe_customer_id, campaign_id,
                                        supporter_id, amount_cents, status)
    select 'sub_' || s.id, 'cus_' || s.id, s.campaign_id, s.supporter_id, 1000,
           case when s.id % 3 = 0 then 'canceled' else 'active' end
    from signatures s where s.id % 200 = 1`
  await sql`
    insert into donations (campaign_id, supporter_id, amount_cents, recurring, status,
                           stripe_checkout_session_id, stripe_invoice_id, stripe_subscription_id,
                           created_at)
    select s.campaign_id, s.supporter_id, 2500, false, 'paid', 'cs_' || s.id, null, null, s.created_at
    from signatures s where s.id % 200 in (50, 100, 150)
    union all
    select s.campaign_id, s.supporter_id, 1000, true, 'paid', null, 'in_' || s.id || '_' || m,
           'sub_' || s.id, s.created_at
    from signatures s, generate_series(1, 3) m where s.id % 200 = 1`
  console.log(`donations: ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  await sql`vacuum analyze`
  const counts = await sql`
    select (select count(*) from signatures)::int as signatures,
           (select count(*) from page_views)::int as views,
           (select count(*) from letters)::int as letters,
           (select count(*) from deliveries)::int as deliveries,
           (select count(*) from donations)::int as donations`
  console.log('seeded', counts[0])
  t0 = performance.now()
  await rebuildMetrics(sql)
  console.log(`metrics_rebuild(): ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  await sql`vacuum analyze`

  const c = campaigns[0]!.id
  console.log('funnel, all campaigns:', await funnel(sql))
  const table: Array<
    [string, string, { median: number; max: number } | null, { median: number; max: number }]
  > = []
  const bench = async (
    label: string,
    scope: string,
    before: (() => Promise<unknown>) | null,
    after: () => Promise<unknown>,
  ) => {
    table.push([label, scope, before ? await time(before) : null, await time(after)])
  }
  await bench('listCampaignsForAdmin', 'all', null, () => listCampaignsForAdmin(sql))
  for (const [scope, id] of [
    ['one', c],
    ['all', undefined],
  ] as const) {
    if (scope === 'all')
      await bench(
        'campaignTotals',
        scope,
        () => source.totals(sql),
        () => campaignTotals(sql),
      )
    await bench(
      'signaturesOverTime 48 h',
      scope,
      () => source.hourly(sql, id),
      () => signaturesOverTime(sql, { bucket: 'hour', span: 48, campaignId: id }),
    )
    await bench(
      'signaturesOverTime 30 d',
      scope,
      () => source.daily(sql, id),
      () => signaturesOverTime(sql, { bucket: 'day', span: 30, campaignId: id }),
    )
    await bench(
      'funnel',
      scope,
      () => source.funnel(sql, id),
      () => funnel(sql, id),
    )
    await bench(
      'topSources (source)',
      scope,
      () => Promise.all([source.sources(sql, id), source.viewSources(sql, id)]),
      () => topSources(sql, { by: 'source', campaignId: id }),
    )
    await bench('topSources (referrer)', scope, null, () =>
      topSources(sql, { by: 'referrer', campaignId: id }),
    )
    await bench(
      'referralLeaderboard',
      scope,
      () => source.referrals(sql, id),
      () => referralLeaderboard(sql, { campaignId: id }),
    )
    await bench('signaturesByPlace (state)', scope, null, () =>
      signaturesByPlace(sql, { by: 'state', campaignId: id }),
    )
    await bench(
      'signaturesByPlace (district)',
      scope,
      () => source.districts(sql, id),
      () => signaturesByPlace(sql, { by: 'district', campaignId: id, limit: 25 }),
    )
    await bench(
      'deliveriesByOffice',
      scope,
      () => source.offices(sql, id),
      () => deliveriesByOffice(sql, { campaignId: id }),
    )
    await bench('problemDeliveries', scope, null, () => problemDeliveries(sql, { campaignId: id }))
    await bench('donationSummary', scope, null, () => donationSummary(sql, id))
  }
  const ms = (t: { median: number; max: number } | null) =>
    t ? `${t.median.toFixed(1)} ms (max ${t.max.toFixed(0)})` : '–'
  console.log(`\n| query | campaigns | before (source tables) | after | ratio |`)
  console.log(`| --- | --- | --- | --- | --- |`)
  for (const [label, scope, before, after] of table) {
    const ratio = before ? `${(before.median / after.median).toFixed(0)}×` : ''
    console.log(`| ${label} | ${scope} | ${ms(before)} | ${ms(after)} | ${ratio} |`)
  }
} finally {
  await sql.end()
  // BENCH_KEEP=1 keeps the seeded database for EXPLAIN (drop it by hand afterwards)
  if (process.env.BENCH_KEEP) console.log(`kept database ${name}`)
  else await dropDatabase(adminUrl, name)
  await stop()
}
