// The peer's server (ADR 1300): the Remix Express template's setup, with Writ's bench settings:
// WEB_CONCURRENCY processes (node cluster) sharing PORT, NODE_ENV=production, a postgres.js pool
// of DB_POOL_SIZE per process (app/db.server.ts). PEER_BUILD: the directory the bench built into.
import cluster from 'node:cluster'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'

const buildDir = path.resolve(process.env.PEER_BUILD ?? '.data/bench/peer-build')
const processes = Number(process.env.WEB_CONCURRENCY ?? 1)

if (cluster.isPrimary && processes > 1) {
  for (let i = 0; i < processes; i++) cluster.fork()
  process.on('SIGTERM', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM')
    process.exit(0)
  })
} else {
  const build = (await import(pathToFileURL(path.join(buildDir, 'index.js')).href)) as ServerBuild
  const app = express()
  app.disable('x-powered-by')
  app.use(compression())
  app.use(
    '/build',
    express.static(path.join(buildDir, 'public/build'), { immutable: true, maxAge: '1y' }),
  )
  app.all('*', createRequestHandler({ build, mode: 'production' }))
  app.listen(Number(process.env.PORT ?? 3991), '127.0.0.1')
}
