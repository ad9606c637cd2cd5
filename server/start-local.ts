// `npm start`: the local all-in-one run. Not the deployment entrypoint (that is `npm run serve`).
// With no DATABASE_URL it starts embedded Postgres under .data/pg; then it migrates, seeds the
// demo campaigns (idempotent) and serves the production build on PORT.
import { resetEnv } from '#app/utils/env.server'
import { startEmbeddedPostgres, type EmbeddedHandle } from './embedded-postgres'

let embedded: EmbeddedHandle | undefined
if (!process.env.DATABASE_URL) {
  embedded = await startEmbeddedPostgres({ dataDir: '.data/pg', database: 'writ' })
  process.env.DATABASE_URL = embedded.url('writ')
  console.log('Using embedded Postgres (data in .data/pg).')
} else {
  console.log('Using the Postgres server at DATABASE_URL.')
}
process.env.NODE_ENV ??= 'production'
if (process.env.NODE_ENV === 'production') {
  // npm start is local: it may use local fakes, so it does not claim to be a deployment.
  process.env.NODE_ENV = 'development'
}
resetEnv()

const { prepareDatabase, seedDemoOrganizerForLocalRun } = await import('./prepare')
const { runServer, closeOnSignals } = await import('./run')
const { getEnv } = await import('#app/utils/env.server')

try {
  getEnv()
  await prepareDatabase({ seed: true })
  const demo = await seedDemoOrganizerForLocalRun()
  const server = await runServer()
  closeOnSignals(server, async () => {
    await embedded?.stop()
  })
  const base = `${getEnv().PUBLIC_URL.replace(/:\d+$/, '')}:${server.port}`
  console.log(`\nWrit is running at ${base}\n`)
  console.log(`Organizer workspace: ${base}/admin/login`)
  console.log(`  demo owner (development only): ${demo.email} / ${demo.password}\n`)
} catch (error) {
  console.error((error as Error).message)
  await embedded?.stop()
  process.exit(1)
}
