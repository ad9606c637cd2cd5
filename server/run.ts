import http from 'node:http'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from '@remix-run/node'
import { closeSql } from '#db/client'
import { startWorker, type WorkerHandle } from '#app/jobs/worker.server'
import { closeTransport } from '#app/mail/mail.server'
import { getEnv } from '#app/utils/env.server'
import { configureSqlFromEnv } from '#app/utils/sql.server'
import { createApp } from './app'

export type RunningServer = {
  url: string
  port: number
  /** Drains requests, stops the worker, closes the pool. */
  close(): Promise<void>
}

const BUILD_PATH = path.resolve('build/index.js')

export async function loadBuild(): Promise<ServerBuild> {
  return import(pathToFileURL(BUILD_PATH).href) as Promise<ServerBuild>
}

/**
 * Serves the built app. Used by `npm start` (with embedded Postgres), `npm run serve`
 * (production) and the test harnesses.
 */
export async function runServer({
  port = getEnv().PORT,
  host = '0.0.0.0',
  build,
}: {
  port?: number
  host?: string
  build?: ServerBuild | (() => Promise<ServerBuild>)
} = {}): Promise<RunningServer> {
  const env = getEnv()
  configureSqlFromEnv()
  let draining = false
  const app = createApp({
    build: build ?? (await loadBuild()),
    production: env.NODE_ENV === 'production',
    publicUrl: env.PUBLIC_URL,
    logRequests: env.LOG_REQUESTS === 'true',
    trustProxy: env.TRUST_PROXY,
    turnstile: Boolean(env.TURNSTILE_SITE_KEY),
    isDraining: () => draining,
  })
  const server = http.createServer(app)
  server.keepAliveTimeout = 65_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const address = server.address()
  const actualPort = typeof address === 'object' && address ? address.port : port
  let worker: WorkerHandle | undefined
  if (env.RUN_WORKER === 'true') {
    const { processors, recurring } = await import('#app/jobs/processors.server')
    worker = startWorker({ processors, recurring })
  }

  let closing: Promise<void> | undefined
  return {
    url: `http://localhost:${actualPort}`,
    port: actualPort,
    close() {
      closing ??= (async () => {
        draining = true
        // Stop accepting connections; in-flight requests finish.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()))
        server.closeIdleConnections()
        const forced = setTimeout(() => server.closeAllConnections(), 10_000)
        await closed
        clearTimeout(forced)
        await worker?.stop()
        const { flushPageViews } = await import('#app/campaigns/page-view-buffer.server')
        await flushPageViews()
        closeTransport()
        await closeSql()
      })()
      return closing
    },
  }
}

/** Ctrl-C / SIGTERM: drain, then run `after` (e.g. stop embedded Postgres). */
export function closeOnSignals(server: RunningServer, after?: () => Promise<void>) {
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`\n${signal}: draining requests and stopping…`)
    try {
      await server.close()
      await after?.()
      process.exit(0)
    } catch (error) {
      console.error('Shutdown failed:', error)
      process.exit(1)
    }
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}
