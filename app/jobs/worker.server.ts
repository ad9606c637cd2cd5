import { getSql } from '#db/client'
import type postgres from 'postgres'

// Background work runs in the web process by default (RUN_WORKER=true) or in `npm run worker`.
// Each queue is a table claimed with FOR UPDATE SKIP LOCKED; see docs/decisions/0006-queues.md.

export type Processor = {
  name: string
  /** Claims and handles a batch. Returns how many items it handled. */
  runOnce(sql: postgres.Sql<Record<string, unknown>>, workerId: string): Promise<number>
}

const processors: Processor[] = []

export function registerProcessor(p: Processor) {
  if (!processors.some((q) => q.name === p.name)) processors.push(p)
}

export type WorkerHandle = { stop(): Promise<void> }

export function startWorker({
  workerId = `worker-${process.pid}`,
  idleMs = 500,
}: { workerId?: string; idleMs?: number } = {}): WorkerHandle {
  let stopping = false
  let wake: (() => void) | undefined
  const loop = (async () => {
    while (!stopping) {
      let handled = 0
      for (const p of processors) {
        if (stopping) break
        try {
          handled += await p.runOnce(getSql(), workerId)
        } catch (error) {
          // A dependency outage (database, SMTP) is logged and retried on the next pass.
          console.error(`[worker] ${p.name} failed:`, (error as Error).message)
        }
      }
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
