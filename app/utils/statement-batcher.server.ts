// Gathers concurrent calls into shared database statements (group commit, ADR 1302; rate-limit
// counters, ADR 1306). A call is queued; when fewer than `maxInFlight` statements of this
// process are in flight, the queue is flushed after the current turn of the event loop
// (setImmediate), so an idle server runs a lone call at once, and under load the calls that
// arrived while earlier statements ran go together, up to `maxBatch` in one statement. Each
// call settles when its statement has returned.

export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown }

export type BatcherOptions<T, R> = {
  /** at most this many calls in one statement */
  maxBatch: number
  /** at most this many statements of this process in flight at once */
  maxInFlight: number
  /**
   * Takes the next statement's calls out of `waiting` (in place, with splice), at most `max` of
   * them, in order of arrival. By default the first `max`.
   */
  take?: <E extends { item: T }>(waiting: E[], max: number) => E[]
  /** Runs one statement for `batch`: one answer per call, in its order, or one error for all. */
  run: (batch: T[]) => Promise<Array<Settled<R>>>
}

export function statementBatcher<T, R>(options: BatcherOptions<T, R>): (item: T) => Promise<R> {
  const { maxBatch, maxInFlight, run } = options
  type Entry = { item: T; resolve: (value: R) => void; reject: (error: unknown) => void }
  const take = options.take ?? ((queue: Entry[], max: number) => queue.splice(0, max))
  const waiting: Entry[] = []
  let inFlight = 0
  let scheduled = false

  function schedule() {
    if (scheduled || inFlight >= maxInFlight || waiting.length === 0) return
    scheduled = true
    setImmediate(() => {
      scheduled = false
      void flush()
    })
  }

  async function flush() {
    if (inFlight >= maxInFlight || waiting.length === 0) return
    const batch = take(waiting, maxBatch)
    inFlight++
    // a second statement may start while this one runs
    schedule()
    try {
      const results = await run(batch.map((e) => e.item))
      results.forEach((r, k) => (r.ok ? batch[k]!.resolve(r.value) : batch[k]!.reject(r.error)))
    } catch (error) {
      for (const entry of batch) entry.reject(error)
    } finally {
      inFlight--
      schedule()
    }
  }

  return (item: T) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ item, resolve, reject })
      schedule()
    })
}
