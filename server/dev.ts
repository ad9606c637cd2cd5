// `npm run dev`: remix dev rebuilds on change; this server re-imports the build when it changes.
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { broadcastDevReady, type ServerBuild } from '@remix-run/node'
import { resetEnv } from '#app/utils/env.server'
import { startEmbeddedPostgres, type EmbeddedHandle } from './embedded-postgres'

let embedded: EmbeddedHandle | undefined
if (!process.env.DATABASE_URL) {
  embedded = await startEmbeddedPostgres({ dataDir: '.data/pg', database: 'writ' })
  process.env.DATABASE_URL = embedded.url('writ')
}
process.env.NODE_ENV = 'development'
resetEnv()
const { prepareDatabase } = await import('./prepare')
const { runServer, closeOnSignals } = await import('./run')

const BUILD = path.resolve('build/index.js')
let cached: { mtime: number; build: ServerBuild } | undefined
async function currentBuild(): Promise<ServerBuild> {
  const mtime = fs.statSync(BUILD).mtimeMs
  if (!cached || cached.mtime !== mtime) {
    const build = (await import(`${pathToFileURL(BUILD).href}?t=${mtime}`)) as ServerBuild
    cached = { mtime, build }
    void broadcastDevReady(build)
  }
  return cached.build
}

await prepareDatabase({ seed: true })
const server = await runServer({ build: currentBuild })
closeOnSignals(server, async () => embedded?.stop())
await currentBuild()
console.log(`Writ dev server at http://localhost:${server.port}`)
