// `npm run worker`: queue processing without the web server, for scale-out.
import { closeSql } from '#db/client'
import { processors, recurring } from '#app/jobs/processors.server'
import { startWorker } from '#app/jobs/worker.server'
import { closeTransport } from '#app/mail/mail.server'
import { getEnv } from '#app/utils/env.server'
import { configureSqlFromEnv } from '#app/utils/sql.server'

getEnv()
configureSqlFromEnv()
const worker = startWorker({ processors, recurring })
console.log(`Worker ${process.pid} started.`)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    await worker.stop()
    closeTransport()
    await closeSql()
    process.exit(0)
  })
}
