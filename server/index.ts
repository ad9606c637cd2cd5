// `npm run serve`: the deployment entrypoint. It requires real configuration (see README) and
// refuses local fakes: env.server.ts rejects a missing secret or STRIPE_API_BASE in production.
// WEB_CONCURRENCY=N runs N web processes (node cluster); only the first runs the queue worker.
// Each forked process gets an old-space limit of WEB_HEAP_MB (ADR 1303): V8 otherwise lets a busy
// process's heap grow to several times what it keeps alive before collecting it. Within it, the old
// space grows by WEB_HEAP_GROWING_PERCENT between full collections (ADR 1308): under a small limit
// V8 collects at about 1.4 times the live heap, several times a second under load.
import cluster from 'node:cluster'
import { getEnv } from '#app/utils/env.server'
import { prepareDatabase, refuseDemoOrganizer } from './prepare'
import { closeOnSignals, runServer } from './run'

async function primary(count: number) {
  await prepareDatabase({ seed: false })
  await refuseDemoOrganizer()
  const { WEB_HEAP_MB: heapMb, WEB_HEAP_GROWING_PERCENT: growingPercent } = getEnv()
  const heapArgs = [
    ...(heapMb > 0 ? [`--max-old-space-size=${heapMb}`] : []),
    ...(growingPercent > 0 ? [`--heap-growing-percent=${growingPercent}`] : []),
  ]
  if (heapArgs.length > 0) cluster.setupPrimary({ execArgv: [...process.execArgv, ...heapArgs] })
  let stopping = false
  const fork = (index: number) => {
    const worker = cluster.fork({
      WRIT_PROCESS_INDEX: String(index),
      RUN_WORKER: index === 0 ? getEnv().RUN_WORKER : 'false',
    })
    worker.on('exit', (code) => {
      if (!stopping) {
        console.error(`web process ${index} exited (${code}); starting another`)
        fork(index)
      }
    })
  }
  for (let i = 0; i < count; i++) fork(i)
  const stop = () => {
    stopping = true
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM')
    const check = setInterval(() => {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        clearInterval(check)
        process.exit(0)
      }
    }, 100)
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  console.log(`Writ is serving on port ${getEnv().PORT} with ${count} processes`)
}

try {
  const env = getEnv()
  if (cluster.isPrimary && env.WEB_CONCURRENCY > 1) {
    await primary(env.WEB_CONCURRENCY)
  } else {
    if (cluster.isPrimary) {
      await prepareDatabase({ seed: false })
      await refuseDemoOrganizer()
    }
    const server = await runServer({ port: env.PORT })
    closeOnSignals(server)
    if (cluster.isPrimary) console.log(`Writ is serving on port ${server.port}`)
  }
} catch (error) {
  console.error((error as Error).message)
  process.exit(1)
}
