// `cold_start_s` and `warm_start_s` (ADR 1300): `npm start`'s server (server/start-local.ts, on
// the production build the bench has just made) pointed at a throw-away data directory
// (WRIT_DATA_DIR), timed from spawn to the first 200 on `/`. Cold: the directory is new, so
// embedded Postgres runs initdb, then migrations, the demo seed and the reference import. Warm:
// the same directory again. Each run is stopped with SIGTERM (by its PID, as Ctrl-C would stop it)
// and the directory is removed at the end.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address()
      const port = typeof address === 'object' && address ? address.port : 0
      srv.close(() => resolve(port))
    })
  })
}

/** Seconds from spawning start-local to the first 200 on `/`. */
async function timeOneStart(dataDir: string, timeoutMs: number): Promise<number> {
  const port = await freePort()
  const env: NodeJS.ProcessEnv = { ...process.env }
  // as a fresh `npm start`: embedded Postgres, the local fakes and the local inbox
  for (const key of Object.keys(env)) {
    if (
      /^(DATABASE_URL|TEST_DATABASE_URL|SMTP_URL|STRIPE_|TWILIO_|NODE_ENV$|PUBLIC_URL$)/.test(key)
    )
      delete env[key]
  }
  Object.assign(env, {
    WRIT_DATA_DIR: dataDir,
    PORT: String(port),
    LOCAL_INBOX_SMTP_PORT: '0',
    LOCAL_INBOX_WEB_PORT: '0',
  })
  const started = performance.now()
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/start-local.ts'], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  let gone = false
  void exited.then(() => (gone = true))
  try {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline && !gone) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/`)
        await res.arrayBuffer()
        if (res.status === 200) return (performance.now() - started) / 1000
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(
      gone ? 'npm start exited before serving /' : 'npm start did not serve / in time',
    )
  } finally {
    if (!gone) {
      child.kill('SIGTERM')
      const stopped = await Promise.race([
        exited.then(() => true),
        new Promise<false>((r) => setTimeout(() => r(false), 30_000)),
      ])
      if (!stopped) child.kill('SIGKILL')
    }
    await stopOrphanedPostgres(dataDir)
  }
}

/** Embedded Postgres stops with its parent; should it not have, stop it by its PID file. */
async function stopOrphanedPostgres(dataDir: string) {
  const pidFile = path.join(dataDir, 'pg', 'postmaster.pid')
  if (!fs.existsSync(pidFile)) return
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0])
  if (!pid) return
  try {
    process.kill(pid, 'SIGINT') // Postgres' fast shutdown
  } catch {
    return // already gone
  }
  const deadline = Date.now() + 15_000
  while (Date.now() < deadline && fs.existsSync(pidFile)) {
    await new Promise((r) => setTimeout(r, 100))
  }
}

export async function measureStartup(): Promise<{ coldSeconds: number; warmSeconds: number }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'writ-bench-start-'))
  // mkdtemp makes it 0700; run as root, embedded Postgres runs initdb as its own user, which must
  // reach the directory as it reaches a fresh .data/
  fs.chmodSync(dataDir, 0o755)
  try {
    const coldSeconds = await timeOneStart(dataDir, 180_000)
    const warmSeconds = await timeOneStart(dataDir, 60_000)
    return { coldSeconds, warmSeconds }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}
