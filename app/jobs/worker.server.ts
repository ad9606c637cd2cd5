import { getSql, type Db } from '#db/client'
import { claimRecurringRun, finishRecurringRun } from '#db/queries/jobs'

// Background work runs in the web process by default (RUN_WORKER=true) or in `npm run worker`.
// Each queue is a table claimed with FOR UPDATE SKIP LOCKED (docs/decisions/0006-queues.md);
// recurring jobs run once per period across all workers (docs/decisions/0800-scheduled-and-recurring-jobs.md).

export type Processor = {
  name: string
  /** Claims and handles a batch. Returns how many items it handled. */
  runOnce(sql: Db, workerId: string): Promise<number>
}

export type RecurringJob = {
  /** Also the key of its row in recurring_jobs: renaming a job makes it due at once. */
  name: string
  /** Periods are aligned to the epoch on the database's clock, e.g. 3600 runs once per UTC hour. */
  everySeconds: number
  run(sql: Db): Promise<unknown>
}

export type WorkerHandle = { stop(): Promise<void> }

export function startWorker({
  processors,
  recurring = [],
  workerId = `worker-${process.pid}`,
  idleMs = 500,
  sql: givenSql,
}: {
  processors: readonly Processor[]
  recurring?: readonly RecurringJob[]
  workerId?: string
  idleMs?: number
  /** Defaults to the app's pool; tests give each worker its own. */
  sql?: Db
}): WorkerHandle {
  const sql = () => givenSql ?? getSql()
  let stopping = false
  let wake: (() => void) | undefined
  // When this worker next asks whether a recurring job is due (performance.now() ms). The
  // database decides who runs it; this only spares a query per job on every pass.
  const nextCheck = new Map<string, number>()

  const runRecurring = async () => {
    for (const job of recurring) {
      if (stopping) break
      if ((nextCheck.get(job.name) ?? 0) > performance.now()) continue
      try {
        const claim = await claimRecurringRun(sql(), {
          name: job.name,
          everySeconds: job.everySeconds,
          workerId,
        })
        nextCheck.set(job.name, performance.now() + claim.msToNextPeriod)
        if (!claim.claimed) continue
        let error: string | null = null
        try {
          await job.run(sql())
        } catch (e) {
          error = String((e as Error).message ?? e).slice(0, 500)
          console.error(`[worker] recurring ${job.name} failed:`, error)
        }
        await finishRecurringRun(sql(), job.name, error)
      } catch (error) {
        // The database is down: ask again on a later pass.
        nextCheck.set(job.name, performance.now() + idleMs)
        console.error(`[worker] recurring ${job.name} failed:`, (error as Error).message)
      }
    }
  }

  const loop = (async () => {
    while (!stopping) {
      let handled = 0
      for (const p of processors) {
        if (stopping) break
        try {
          handled += await p.runOnce(sql(), workerId)
        } catch (error) {
          // A dependency outage (database, SMTP) is logged and retried on the next pass.
          console.error(`[worker] ${p.name} failed:`, (error as Error).message)
        }
      }
      await runRecurring()
      if (handled === 0 && !stopping) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, idleMs)
          wake = () => {
            clearTimeout(timer)
            resolve()
          }
        })
      }
    }
  })()
  return {
    async stop() {
      stopping = true
      wake?.()
      await loop
    },
  }
}
