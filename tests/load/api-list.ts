// The REST API's hottest list: GET /api/v1/campaigns/:id/signatures?limit=100 on a campaign with
// 1,000,000 signatures (as in the dashboard benchmark, tests/load/dashboard-queries.ts), pages
// taken at random positions through the whole list. Goal: p99 ≤ 50 ms (ADR 1000).
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import type { Step } from './steps'

export const apiList: Step = async (ctx) => {
  const rows = ctx.quick ? 100_000 : 1_000_000
  const sql = postgres(ctx.databaseUrl, { max: 1, onnotice: () => {} })
  const key = `writ_${randomBytes(32).toString('base64url')}`
  let campaignId = ''
  let ids: string[] = []
  try {
    ;[{ id: campaignId }] = await sql<{ id: string }[]>`
      insert into campaigns (slug, kind, status) values ('api-bench', 'petition', 'live')
      returning id`
    await sql`
      insert into campaign_copy (campaign_id, locale, headline)
      values (${campaignId}, 'en', 'API bench')`
    await sql`
      insert into supporters (email, first_name, last_name, zip, state)
      select 'apibench' || g || '@example.org', 'First' || g, 'Last' || g, '82001', 'WY'
      from generate_series(1, ${rows}) g`
    // In chunks, as the dashboard benchmark does (under the per-row counter trigger that migration
    // 0140 replaced, one 1M-row insert was quadratic: it ran for over 6 minutes).
    await sql`
      create temp table api_bench_signers as
      select id, row_number() over (order by id) as n from supporters
      where email like 'apibench%'`
    for (let from = 1; from <= rows; from += 10_000) {
      await sql`
        insert into signatures (campaign_id, supporter_id, ref_code, state, source, created_at,
                                confirmed_at)
        select ${campaignId}, s.id, md5(s.id::text), 'WY', 'bench',
               now() - (random() * interval '90 days'),
               case when random() < 0.7 then now() else null end
        from api_bench_signers s where s.n between ${from} and ${from + 9_999}`
    }
    await sql`
      insert into api_keys (name, prefix, token_hash, scopes, rate_limit_per_minute, created_via)
      values ('bench', ${key.slice(0, 13)}, sha256(convert_to(${key}, 'UTF8')),
              '{read:signatures}', 100000000, 'cli')`
    await sql`vacuum analyze signatures`
    await sql`vacuum analyze supporters`
    // The seeding wrote about 1 GB of WAL: without this, the checkpoint it sets off runs during
    // the measurement, and every request's audit commit waits behind its writes (the p99 then
    // measures the seeding, not the API). Needs superuser or pg_checkpoint; skipped otherwise.
    await sql`checkpoint`.catch(() => {})
    // 200 page starts spread over the list: each request reads the page after one of them
    ids = (
      await sql<{ id: string }[]>`
        select id::text from signatures where campaign_id = ${campaignId}
        order by random() limit 200`
    ).map((r) => r.id)
  } finally {
    await sql.end()
  }
  const cursors = ids.map((id) => Buffer.from(JSON.stringify([id])).toString('base64url'))
  let n = 0
  const r = await ctx.load({
    url: `${ctx.base}/api/v1/campaigns/${campaignId}/signatures?limit=100`,
    connections: 10,
    // BENCH_API_SECONDS: a longer step, for profiling
    duration: Number(process.env.BENCH_API_SECONDS ?? (ctx.quick ? 5 : 15)),
    headers: { authorization: `Bearer ${key}` },
    requests: [
      {
        setupRequest: (req) => ({
          ...req,
          path: `/api/v1/campaigns/${campaignId}/signatures?limit=100&after=${cursors[n++ % cursors.length]}`,
        }),
      },
    ],
  })
  return {
    api_list_p50_ms: ctx.pct(r, 'p50'),
    api_list_p99_ms: ctx.pct(r, 'p99'),
    api_list_rps: r.requests.average,
    api_list_non2xx: r.non2xx,
    api_list_rows: rows,
  }
}
Object.defineProperty(apiList, 'name', { value: 'api' })
