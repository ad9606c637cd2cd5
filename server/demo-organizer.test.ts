import { spawn } from 'node:child_process'
import { afterEach, describe, expect, test } from 'vitest'
import { createTestDatabase } from '#tests/setup/db'
import { nodeArgs, SERVER_ENTRY } from '#tests/setup/entries'

// The demo owner's password is published in the README. It exists only in `npm start`'s own
// embedded Postgres; `npm start` on an external DATABASE_URL never creates it, and
// `npm run serve` refuses to start while it exists.

const DEMO = 'demo@writ.localhost'
const dropping: Array<() => Promise<void>> = []
afterEach(async () => {
  while (dropping.length) await dropping.pop()!()
})

type Run = { code: number | null; output: string }

/** Runs a server entry until `until` shows in its output (then SIGINT) or it exits on its own. */
function run(entry: string, env: Record<string, string>, until: RegExp): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs(entry), {
      env: { ...process.env, LOG_REQUESTS: 'false', RUN_WORKER: 'false', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`timed out; output:\n${output}`))
    }, 120_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (until.test(output)) child.kill('SIGINT')
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
  })
}

const production = {
  NODE_ENV: 'production',
  PORT: '0',
  PUBLIC_URL: 'https://writ.example.org',
  SESSION_SECRET: 'demo-organizer-test-'.padEnd(40, 'x'),
  SMTP_URL: 'smtp://127.0.0.1:9',
  STRIPE_SECRET_KEY: 'sk_test_demo_organizer',
  STRIPE_WEBHOOK_SECRET: 'whsec_demo_organizer',
  STRIPE_API_BASE: '',
}

describe('the demo owner', () => {
  test('npm start on an external DATABASE_URL does not create it', async () => {
    const db = await createTestDatabase()
    dropping.push(db.drop)
    const result = await run(
      'server/start-local.ts',
      { DATABASE_URL: db.url, PORT: '0', NODE_ENV: 'development' },
      /Writ is running/,
    )
    expect(result.output).toContain('Writ is running')
    expect(result.output).not.toContain('writ-demo-organizer')
    const rows = await db.sql`select 1 from organizers where email = ${DEMO}`
    expect(rows.length).toBe(0)
  })

  test('npm run serve refuses to start while it exists, and says how to remove it', async () => {
    const db = await createTestDatabase()
    dropping.push(db.drop)
    await db.sql`
      insert into organizers (email, name, role, password_hash)
      values (${DEMO}, 'Demo Organizer', 'owner', 'x')`
    const refused = await run(
      SERVER_ENTRY,
      { ...production, DATABASE_URL: db.url },
      /serving on port/,
    )
    expect(refused.code).not.toBe(0)
    expect(refused.output).toContain(DEMO)
    expect(refused.output).toContain('npm run organizer:remove-demo')

    const removed = await run(
      'app/organizers/remove-demo-cli.server.ts',
      { DATABASE_URL: db.url, NODE_ENV: 'development' },
      /$^/,
    )
    expect(removed.code).toBe(0)
    expect(removed.output).toContain('Removed the demo organizer')

    const served = await run(
      SERVER_ENTRY,
      { ...production, DATABASE_URL: db.url },
      /serving on port/,
    )
    expect(served.output).toContain('serving on port')
  })
})
