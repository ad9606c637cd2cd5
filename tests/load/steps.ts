import type autocannon from 'autocannon'
import postgres from 'postgres'
import { apiList } from './api-list'
import { measureLetterDelivery } from './letters'
import { measureLookupOn } from './lookup'
import { measurePeer } from './peer'
import { sampleWebRss } from './rss'
import { PETITION, signLoad } from './sign-load'
import { measureStartup } from './startup'

export type StepContext = {
  base: string
  connections: number
  seconds: { healthz: number; page: number; sign: number }
  quick: boolean
  databaseUrl: string
  adminUrl: string
  healthzRps: number
  load: (opts: autocannon.Options) => Promise<autocannon.Result>
  pct: (r: autocannon.Result, p: 'p50' | 'p99') => number
  jsGz: (slug: string) => Promise<number>
  /** The bench's Writ server (the cluster primary; its children are the web processes). */
  serverPid: number
  /** The figures of the steps that ran before this one, in this run. */
  results: Readonly<Record<string, number | string | null>>
}

export type Step = (ctx: StepContext) => Promise<Record<string, number | string | null>>

const page: Step = async (ctx) => {
  const r = await ctx.load({
    url: `${ctx.base}/c/${PETITION}`,
    connections: ctx.connections,
    duration: ctx.seconds.page,
  })
  return {
    page_rps: r.requests.average,
    page_p99_ms: ctx.pct(r, 'p99'),
    page_non2xx: r.non2xx,
    page_ratio: r.requests.average / ctx.healthzRps,
  }
}

/** The live count's poll (GET /c/:slug/count.json), served from the read cache: ratio ≥ 1. */
const countJson: Step = async (ctx) => {
  const r = await ctx.load({
    url: `${ctx.base}/c/${PETITION}/count.json?lang=en`,
    connections: ctx.connections,
    duration: ctx.seconds.page,
  })
  return {
    count_json_rps: r.requests.average,
    count_json_p99_ms: ctx.pct(r, 'p99'),
    count_json_non2xx: r.non2xx,
    count_json_ratio: r.requests.average / ctx.healthzRps,
  }
}

const js: Step = async (ctx) => ({ js_gz_kb: (await ctx.jsGz(PETITION)) / 1024 })

/** In-process representative lookup over 10,000 random real ZIPs (goal: p99 ≤ 2 ms). */
const lookup: Step = async (ctx) => {
  const r = await measureLookupOn(ctx.databaseUrl, 10_000)
  return {
    lookup_p50_ms: r.p50_ms,
    lookup_p99_ms: r.p99_ms,
    lookup_index_build_ms: r.index_build_ms,
  }
}

/**
 * A valid, unique signature POST through the whole action path (origin check, Zod, the signature
 * with its confirmation email in the outbox), as a no-JS browser sends it.
 * lost = successful answers − rows in the database; it must be 0.
 *
 * `sign`: from loopback, which the bench allow-lists (RATE_LIMIT_ALLOW_IPS), so neither the rate
 * limit nor the IP-burst check runs: the signature is one statement. `sign_checked`: each request
 * from its own client IP (X-Forwarded-For, the bench trusts the proxy), as at viral load: the rate
 * limit counts every request and the IP-burst check locks per IP in a transaction.
 */
function signStep(prefix: 'sign' | 'sign_checked', seconds: (ctx: StepContext) => number): Step {
  return async (ctx) => {
    const run = `${prefix === 'sign' ? 'b' : 'c'}${Date.now().toString(36)}`
    // the peak RSS of each web process while the sign load runs (ADR 1300)
    const rss = prefix === 'sign' ? sampleWebRss(ctx.serverPid) : undefined
    const r = await signLoad(ctx, {
      url: `${ctx.base}/c/${PETITION}`,
      run,
      seconds: seconds(ctx),
      distinctIps: prefix === 'sign_checked',
    })
    const rssMb = rss?.stop()
    const sql = postgres(ctx.databaseUrl, { max: 1, onnotice: () => {} })
    let rows = 0
    try {
      const [row] = await sql<{ n: number }[]>`
        select count(*)::int as n from signatures g join supporters s on s.id = g.supporter_id
        where s.email like ${run + '-%'}`
      rows = row.n
    } finally {
      await sql.end()
    }
    // autocannon counts 2xx in statusCodeStats; a successful sign is a 303 redirect
    const stats =
      (r as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ??
      {}
    const count = (code: string) => stats[code]?.count ?? 0
    const ok = Object.keys(stats)
      .filter((c) => c.startsWith('2') || c.startsWith('3'))
      .reduce((sum, c) => sum + count(c), 0)
    const fivexx = Object.keys(stats)
      .filter((c) => c.startsWith('5'))
      .reduce((sum, c) => sum + count(c), 0)
    return {
      [`${prefix}_rps`]: r.requests.average,
      [`${prefix}_p50_ms`]: ctx.pct(r, 'p50'),
      [`${prefix}_p99_ms`]: ctx.pct(r, 'p99'),
      [`${prefix}_ok`]: ok,
      [`${prefix}_non_2xx_3xx`]: r.requests.total - ok,
      [`${prefix}_5xx`]: fivexx,
      [`${prefix}_errors`]: r.errors + r.timeouts,
      // requests still in flight when the load stopped may commit without autocannon counting
      // their answer: those show as rows beyond the acknowledged count, never as lost
      [`${prefix}_lost`]: Math.max(0, ok - rows),
      [`${prefix}_committed_unacknowledged`]: Math.max(0, rows - ok),
      [`${prefix}_ratio`]: r.requests.average / ctx.healthzRps,
      ...(rssMb ? { web_rss_mb: rssMb.maxMb, web_rss_per_process_mb: rssMb.perProcess } : {}),
    }
  }
}

const sign = signStep('sign', (ctx) => ctx.seconds.sign)
Object.defineProperty(sign, 'name', { value: 'sign' })
const signChecked = signStep('sign_checked', (ctx) => Math.ceil(ctx.seconds.sign / 3))
Object.defineProperty(signChecked, 'name', { value: 'sign_checked' })

/** Deliveries/s into an SMTP sink, against raw pooled nodemailer sends in the same run. */
const letters: Step = async (ctx) => {
  const r = await measureLetterDelivery({ letters: ctx.quick ? 500 : 2000, adminUrl: ctx.adminUrl })
  return { letters_per_s: r.letters_per_s, raw_smtp_per_s: r.raw_per_s, letters_ratio: r.ratio }
}

/**
 * The peer (ADR 1300): a minimal Remix 2 petition app under the same settings, loaded like the
 * page and sign steps; `sign_vs_peer` and `page_vs_peer` compare with Writ's figures of this run.
 */
const peer: Step = async (ctx) => {
  const r = await measurePeer(ctx)
  const ratio = (writ: unknown, theirs: number) =>
    typeof writ === 'number' && theirs > 0 ? writ / theirs : null
  return {
    ...r,
    sign_vs_peer: ratio(ctx.results.sign_rps, r.peer_sign_rps),
    page_vs_peer: ratio(ctx.results.page_rps, r.peer_page_rps),
  }
}

/** `npm start` from a fresh data directory, then again with it kept (ADR 1300). */
const startup: Step = async () => {
  const r = await measureStartup()
  return { cold_start_s: r.coldSeconds, warm_start_s: r.warmSeconds }
}

/** The steps, in order. */
export const benchSteps: Step[] = [
  page,
  countJson,
  sign,
  signChecked,
  peer,
  js,
  lookup,
  letters,
  apiList,
  startup,
]
