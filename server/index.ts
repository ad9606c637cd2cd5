// `npm run serve`: the deployment entrypoint. It requires real configuration (see README) and
// refuses local fakes: env.server.ts rejects a missing secret or STRIPE_API_BASE in production.
import { getEnv } from '#app/utils/env.server'
import { prepareDatabase } from './prepare'
import { closeOnSignals, runServer } from './run'

try {
  const env = getEnv()
  await prepareDatabase({ seed: false })
  const server = await runServer({ port: env.PORT })
  closeOnSignals(server)
  console.log(`Writ is serving on port ${server.port}`)
} catch (error) {
  console.error((error as Error).message)
  process.exit(1)
}
