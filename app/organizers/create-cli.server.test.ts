import '#tests/setup/app-env'
import { spawn } from 'node:child_process'
import { expect, test, vi } from 'vitest'
import { verifyPassword } from '#app/organizers/auth.server'
// Aliased: the react-hooks lint rule reads any top-level use*() call as a hook.
import { useAppDatabase as appDatabase } from '#tests/setup/db'

const db = appDatabase()
// each case spawns tsx (a few seconds each on a busy 2-core machine)
vi.setConfig({ testTimeout: 180_000 })

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('node_modules/.bin/tsx', ['app/organizers/create-cli.server.ts', ...args], {
      env: { ...process.env, DATABASE_URL: db.url, NODE_ENV: 'development' },
      // stdin is a pipe, not a TTY: the CLI must not prompt
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.stdin.end()
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

test('organizer:create with --password creates an owner with an argon2id hash', async () => {
  const result = await runCli([
    '--email',
    'First.Owner@Example.org',
    '--password',
    'a long enough password',
    '--role',
    'owner',
  ])
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  expect(result.stdout).toContain('Created owner first.owner@example.org')
  const [row] =
    await db.sql`select role, password_hash from organizers where email = 'first.owner@example.org'`
  expect(row.role).toBe('owner')
  expect(row.passwordHash).toMatch(/^\$argon2id\$/)
  expect(await verifyPassword(row.passwordHash as string, 'a long enough password')).toBe(true)
})

test('without --password and without a terminal, it prints a generated password that works', async () => {
  const result = await runCli(['--email', 'viewer@example.org', '--role', 'viewer'])
  expect(result.code).toBe(0)
  const password = /Generated password \(shown once\): (\S+)/.exec(result.stdout)?.[1]
  expect(password).toBeTruthy()
  expect(password!.length).toBeGreaterThanOrEqual(20)
  const [row] =
    await db.sql`select role, password_hash from organizers where email = 'viewer@example.org'`
  expect(row.role).toBe('viewer')
  expect(await verifyPassword(row.passwordHash as string, password!)).toBe(true)
})

test('refuses a duplicate email, a bad role and a short password', async () => {
  const dup = await runCli([
    '--email',
    'first.owner@example.org',
    '--password',
    'another long password',
  ])
  expect(dup.code).toBe(1)
  expect(dup.stderr).toContain('already exists')
  const role = await runCli([
    '--email',
    'x@example.org',
    '--password',
    'long enough pw!',
    '--role',
    'admin',
  ])
  expect(role.code).toBe(2)
  expect(role.stderr).toContain('--role must be one of')
  const short = await runCli(['--email', 'y@example.org', '--password', 'short'])
  expect(short.code).toBe(2)
  const [n] =
    await db.sql`select count(*)::int as n from organizers where email in ('x@example.org', 'y@example.org')`
  expect(n.n).toBe(0)
})
