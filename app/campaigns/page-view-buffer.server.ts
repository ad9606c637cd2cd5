import { getSql } from '#db/client'
import { insertPageViews, type NewPageView } from '#db/queries/campaigns'
import { getEnv } from '#app/utils/env.server'

// Page views are analytics: buffered in memory and written once a second in one multi-row
// insert, instead of one committed (fsync'd) insert per view. A crash loses at most that
// second of counts; signatures are never buffered. PAGE_VIEW_FLUSH_MS=0 writes at once.

// Held on globalThis: the server entry (to flush at shutdown) and the Remix build each load
// their own copy of this module.
type State = { buffer: NewPageView[]; timer?: NodeJS.Timeout; flushing: Promise<void> }
const state: State = ((globalThis as { __writPageViews?: State }).__writPageViews ??= {
  buffer: [],
  flushing: Promise.resolve(),
})
const MAX_BUFFER = 1000

export async function recordPageViewBuffered(view: NewPageView) {
  const delay = getEnv().PAGE_VIEW_FLUSH_MS
  if (delay <= 0) {
    await insertPageViews(getSql(), [{ ...view, createdAt: new Date() }])
    return
  }
  state.buffer.push({ ...view, createdAt: new Date() })
  if (state.buffer.length >= MAX_BUFFER) void flushPageViews()
  else if (!state.timer) {
    state.timer = setTimeout(() => void flushPageViews(), delay)
    state.timer.unref()
  }
}

export function flushPageViews(): Promise<void> {
  clearTimeout(state.timer)
  state.timer = undefined
  const batch = state.buffer
  state.buffer = []
  if (batch.length === 0) return state.flushing
  state.flushing = state.flushing.then(async () => {
    try {
      await insertPageViews(getSql(), batch)
    } catch (error) {
      console.error(`[page-views] ${batch.length} views not recorded:`, (error as Error).message)
    }
  })
  return state.flushing
}
