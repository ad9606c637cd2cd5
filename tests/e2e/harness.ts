// Playwright's webServer: one real Postgres database (cloned from the test template), a real SMTP
// sink with a small HTTP inspector, the local fakes, and the built app. Ports are fixed so that
// tests can reach them: app E2E_PORT (3900), inspector E2E_PORT+1.
import http from 'node:http'
import { resetEnv } from '#app/utils/env.server'
import {
  createDatabaseFromTemplate,
  databaseUrl,
  dropDatabase,
  ensureTemplateDatabase,
  resolveAdminUrl,
} from '../setup/postgres'
import { startSmtpSink, type SinkMode } from '../setup/smtp-sink'
import { startFakes } from './fakes'

const port = Number(process.env.E2E_PORT ?? 3900)
const { adminUrl, stop: stopPostgres } = await resolveAdminUrl()
const template = await ensureTemplateDatabase(adminUrl)
const dbName = await createDatabaseFromTemplate(adminUrl, template)
const sink = await startSmtpSink()
const fakes = await startFakes({ appUrl: `http://localhost:${port}` })

Object.assign(process.env, {
  NODE_ENV: 'test',
  DATABASE_URL: databaseUrl(adminUrl, dbName),
  PUBLIC_URL: `http://localhost:${port}`,
  SMTP_URL: sink.url,
  MAIL_FROM: 'Writ <no-reply@writ.test>',
  LOG_REQUESTS: 'false',
  RUN_WORKER: 'true',
  // Playwright fills forms in milliseconds (the minimum fill time is tested in vitest)
  MIN_FORM_FILL_MS: '0',
  // every browser test signs from loopback: holding an IP burst (tested in vitest) would make
  // the dashboard counts depend on how many specs ran before
  FLAG_IP_SIGNATURES: '100000',
  ...fakes.env,
})
resetEnv()
const { runServer } = await import('../../server/run')
const server = await runServer({ port, host: '127.0.0.1' })
// The organizer journeys sign in as the development demo owner (never created in production).
const { seedDemoOrganizer } = await import('#app/organizers/organizers.server')
const { getSql } = await import('#db/client')
await seedDemoOrganizer(getSql())

// GET /messages?to=addr  → captured mail; POST /mode/{accept|tempfail|permfail};
// GET /database → the app's database URL, so that specs can arrange rows the UI cannot make yet.
const inspector = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x')
  if (req.method === 'GET' && url.pathname === '/database') {
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ url: process.env.DATABASE_URL }))
    return
  }
  if (req.method === 'GET' && url.pathname === '/messages') {
    const to = url.searchParams.get('to')?.toLowerCase()
    const list = sink.messages.filter((m) => !to || m.to.includes(to))
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify(list))
    return
  }
  const mode = /^\/mode\/(accept|tempfail|permfail)$/.exec(url.pathname)
  if (req.method === 'POST' && mode) {
    sink.setMode(mode[1] as SinkMode)
    res.end('ok')
    return
  }
  res.statusCode = 404
  res.end()
})
await new Promise<void>((r) => inspector.listen(port + 1, '127.0.0.1', () => r()))
console.log(`e2e harness ready: app ${server.url}, inspector http://127.0.0.1:${port + 1}`)

async function shutdown() {
  await server.close()
  inspector.close()
  await sink.close()
  await fakes.close()
  // Playwright signals the whole process group, so an embedded Postgres may already be stopping.
  await dropDatabase(adminUrl, dbName).catch(() => {})
  await stopPostgres().catch(() => {})
  process.exit(0)
}
process.on('SIGTERM', () => void shutdown())
process.on('SIGINT', () => void shutdown())
