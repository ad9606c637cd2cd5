// The bench's peer step (ADR 1300): builds tests/load/peer (its own remix.config.js) into
// .data/bench/peer-build (its server.ts compiled beside it), creates its table in the bench database, starts it with Writ's bench
// settings (WEB_CONCURRENCY processes, DB_POOL_SIZE, NODE_ENV=production) and sends it the same
// page and sign loads as Writ's page and sign steps.
import { execFileSync, spawn } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import * as esbuild from 'esbuild'
import postgres from 'postgres'
import { PETITION, signLoad } from './sign-load'
import type { StepContext } from './steps'

const PEER_DIR = 'tests/load/peer'
const BUILD_DIR = '.data/bench/peer-build'

async function waitFor200(url: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).status === 200) return
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`the peer did not answer 200 at ${url}`)
}

export async function measurePeer(ctx: StepContext) {
  execFileSync('npx', ['remix', 'build', PEER_DIR], { stdio: 'ignore' })
  // compiled and run with plain Node, as Writ's own entry is (server/bundle.ts)
  await esbuild.build({
    entryPoints: [path.join(PEER_DIR, 'server.ts')],
    outfile: path.join(BUILD_DIR, 'server.js'),
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  })
  const sql = postgres(ctx.databaseUrl, { max: 1, onnotice: () => {} })
  try {
    await sql`
      create table if not exists peer_signatures (
        id bigint generated always as identity primary key,
        campaign_id uuid not null references campaigns (id),
        first_name text not null,
        last_name text not null,
        email text not null,
        zip text not null,
        created_at timestamptz not null default now(),
        unique (campaign_id, email)
      )`
  } finally {
    await sql.end()
  }
  const port = Number(process.env.BENCH_PEER_PORT ?? 3991)
  const base = `http://127.0.0.1:${port}`
  const peer = spawn(process.execPath, [path.join(BUILD_DIR, 'server.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: ctx.databaseUrl,
      PEER_BUILD: BUILD_DIR,
      WEB_CONCURRENCY: process.env.BENCH_WEB_CONCURRENCY ?? String(os.cpus().length),
      DB_POOL_SIZE: process.env.BENCH_DB_POOL_SIZE ?? '10',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const exited = new Promise((r) => peer.once('exit', r))
  try {
    const url = `${base}/c/${PETITION}`
    await waitFor200(url)
    const page = await ctx.load({ url, connections: ctx.connections, duration: ctx.seconds.page })
    const run = `p${Date.now().toString(36)}`
    const sign = await signLoad(ctx, { url, run, seconds: ctx.seconds.sign })
    // every 303 must be a committed row, as for Writ (sign_lost)
    const check = postgres(ctx.databaseUrl, { max: 1, onnotice: () => {} })
    let rows = 0
    try {
      const [row] = await check<{ n: number }[]>`
        select count(*)::int as n from peer_signatures where email like ${run + '-%'}`
      rows = row.n
    } finally {
      await check.end()
    }
    const stats =
      (sign as unknown as { statusCodeStats?: Record<string, { count: number }> })
        .statusCodeStats ?? {}
    return {
      peer_page_rps: page.requests.average,
      peer_page_p99_ms: ctx.pct(page, 'p99'),
      peer_page_non2xx: page.non2xx,
      peer_sign_rps: sign.requests.average,
      peer_sign_p99_ms: ctx.pct(sign, 'p99'),
      peer_sign_303: stats['303']?.count ?? 0,
      peer_sign_lost: Math.max(0, (stats['303']?.count ?? 0) - rows),
      peer_sign_errors: sign.errors + sign.timeouts,
    }
  } finally {
    peer.kill('SIGTERM')
    await exited
  }
}
