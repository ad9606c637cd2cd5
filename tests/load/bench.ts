// `npm run bench [-- --quick]`: throughput and latency of the production build over loopback,
// each figure also reported as a ratio to a baseline measured in the same run (these machines
// are noisy). Writes .data/bench/latest.json. See docs/decisions/0700-performance-and-resilience.md;
// the peer, web_rss_mb and the start-up times: docs/decisions/1300-bench-peer-memory-and-start-up.md.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import autocannon from 'autocannon'
import {
  resolveAdminUrl,
  ensureTemplateDatabase,
  createDatabaseFromTemplate,
  databaseUrl,
  dropDatabase,
} from '../setup/postgres'
import { nodeArgs, SERVER_ENTRY } from '../setup/entries'
import { startSmtpSink } from '../setup/smtp-sink'
import { benchSteps } from './steps'

const quick = process.argv.includes('--quick')
// `--only=page,sign`: run just those steps (profiling); `BENCH_CPU_PROF=dir`: the server writes
// a V8 CPU profile per process there (node --cpu-prof) when it exits.
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',')
const cpuProfDir = process.env.BENCH_CPU_PROF
const seconds = {
  healthz: quick ? 5 : 15,
  page: quick ? 5 : 15,
  // BENCH_SIGN_SECONDS: a longer or shorter sign step (sign_checked runs a third of it)
  sign: Number(process.env.BENCH_SIGN_SECONDS ?? (quick ? 10 : 60)),
}
const connections = 50
const PORT = Number(process.env.BENCH_PORT ?? 3990)
const base = `http://127.0.0.1:${PORT}`

type Result = Record<string, number | string | null>

async function waitForHealth(url: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url)
      if (res.ok) return
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`server did not become healthy at ${url}`)
}

export async function load(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)))
  })
}

function pct(result: autocannon.Result, p: 'p50' | 'p99') {
  return result.latency[p]
}

async function campaignPageJsGzipBytes(slug: string): Promise<number> {
  const html = await (await fetch(`${base}/c/${slug}`)).text()
  const urls = new Set<string>()
  for (const m of html.matchAll(/<script[^>]+src="([^"]+)"/g)) urls.add(m[1])
  for (const m of html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)) urls.add(m[1])
  for (const m of html.matchAll(/import\s*(?:\*\s*as\s*\w+\s*from\s*)?"([^"]+\.js)"/g))
    urls.add(m[1])
  let total = 0
  for (const u of urls) {
    const body = Buffer.from(await (await fetch(new URL(u, base))).arrayBuffer())
    total += zlib.gzipSync(body, { level: 9 }).length
  }
  return total
}

async function main() {
  const root = process.cwd()
  console.log(
    `bench (${quick ? 'quick' : 'full'}) on ${os.cpus().length} cores, Node ${process.version}`,
  )
  if (!fs.existsSync(path.join(root, 'build/index.js')) || process.env.BENCH_BUILD !== '0') {
    execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'ignore' })
  }
  // TEST_DATABASE_URL, else DATABASE_URL (the bench creates and drops its own database there),
  // else an embedded Postgres.
  if (!process.env.TEST_DATABASE_URL && process.env.DATABASE_URL) {
    process.env.TEST_DATABASE_URL = process.env.DATABASE_URL
  }
  const { adminUrl, stop } = await resolveAdminUrl()
  const template = await ensureTemplateDatabase(adminUrl)
  const dbName = await createDatabaseFromTemplate(adminUrl, template)
  const sink = await startSmtpSink()
  let server: ChildProcess | undefined
  const results: Result = {}
  try {
    const profArgs = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(cpuProfDir)}`] : []
    server = spawn(process.execPath, [...profArgs, ...nodeArgs(SERVER_ENTRY)], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(PORT),
        DATABASE_URL: databaseUrl(adminUrl, dbName),
        PUBLIC_URL: base,
        SESSION_SECRET: 'bench-'.padEnd(40, 'x'),
        SMTP_URL: sink.url,
        STRIPE_SECRET_KEY: 'sk_test_bench',
        STRIPE_WEBHOOK_SECRET: 'whsec_bench',
        LOG_REQUESTS: 'false',
        // the load comes from loopback; limits and the form-fill minimum would refuse it
        RATE_LIMIT_ALLOW_IPS: '127.0.0.1,::1,::ffff:127.0.0.1',
        // the sign_checked step gives each request its own client IP in X-Forwarded-For
        TRUST_PROXY: '1',
        MIN_FORM_FILL_MS: '0',
        // mail piles up in the outbox instead of competing with the load generator for CPU
        RUN_WORKER: 'false',
        WEB_CONCURRENCY: process.env.BENCH_WEB_CONCURRENCY ?? String(os.cpus().length),
        DB_POOL_SIZE: process.env.BENCH_DB_POOL_SIZE ?? '10',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    })
    await waitForHealth(`${base}/healthz`)

    const healthz = await load({ url: `${base}/healthz`, connections, duration: seconds.healthz })
    results.healthz_rps = healthz.requests.average

    for (const step of benchSteps.filter((s) => !only || only.includes(s.name))) {
      Object.assign(
        results,
        await step({
          base,
          connections,
          seconds,
          quick,
          databaseUrl: databaseUrl(adminUrl, dbName),
          adminUrl,
          healthzRps: healthz.requests.average,
          load,
          pct,
          jsGz: campaignPageJsGzipBytes,
          serverPid: server.pid ?? 0,
          results,
        }),
      )
    }
  } finally {
    server?.kill('SIGTERM')
    await new Promise((r) => server?.once('exit', r) ?? r(null))
    await sink.close()
    await dropDatabase(adminUrl, dbName).catch(() => {})
    await stop()
  }
  let commit = 'unknown'
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD']).toString().trim()
  } catch {
    // not a git checkout
  }
  const report = {
    ...results,
    machine: { cores: os.cpus().length, node: process.version, cpu: os.cpus()[0]?.model },
    commit,
    quick,
    at: new Date().toISOString(),
  }
  fs.mkdirSync('.data/bench', { recursive: true })
  fs.writeFileSync('.data/bench/latest.json', JSON.stringify(report, null, 2))
  console.table(
    Object.entries(results).map(([key, value]) => ({
      key,
      value: typeof value === 'number' ? Math.round(value * 1000) / 1000 : value,
    })),
  )
  console.log('wrote .data/bench/latest.json')
}

await main()
