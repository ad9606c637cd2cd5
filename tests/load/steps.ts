import type autocannon from 'autocannon'
import { measureLookupOn } from './lookup'

export type StepContext = {
  base: string
  connections: number
  seconds: { healthz: number; page: number; sign: number }
  quick: boolean
  databaseUrl: string
  healthzRps: number
  load: (opts: autocannon.Options) => Promise<autocannon.Result>
  pct: (r: autocannon.Result, p: 'p50' | 'p99') => number
  jsGz: (slug: string) => Promise<number>
}

export type Step = (ctx: StepContext) => Promise<Record<string, number | string | null>>

const PETITION = 'stop-red-notice-detentions'

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

const js: Step = async (ctx) => ({ js_gz_kb: (await ctx.jsGz(PETITION)) / 1024 })

/** In-process representative lookup over 10,000 random real ZIPs (goal: p99 ≤ 2 ms). */
const lookup: Step = async (ctx) => {
  const r = await measureLookupOn(ctx.databaseUrl, ctx.quick ? 2000 : 10_000)
  return {
    lookup_p50_ms: r.p50_ms,
    lookup_p99_ms: r.p99_ms,
    lookup_index_build_ms: r.index_build_ms,
  }
}

/** The steps, in order. Sign, lookup and letters join as their capabilities land. */
export const benchSteps: Step[] = [page, js, lookup]
