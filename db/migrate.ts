import fs from 'node:fs/promises'
import path from 'node:path'
import type postgres from 'postgres'

// Numbered, forward-only SQL migrations. See docs/decisions/0002-migrations.md.
// A run holds a session-level advisory lock, so any number of processes may migrate at once and
// each migration is applied exactly once. Each file runs in its own transaction, except a file
// whose first line is `-- writ:no-transaction` (for CREATE INDEX CONCURRENTLY).

// From the working directory (the project's root), like the Remix build: the compiled server
// entry (build/server/index.js, server/bundle.ts) does not sit beside db/.
export const MIGRATIONS_DIR = path.resolve('db/migrations')
const LOCK_KEY = 7_020_011 // arbitrary, constant: "writ migrations"
const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/

type Migration = {
  version: number
  name: string
  file: string
  transactional: boolean
  body: string
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.sql')).sort()
  const seen = new Set<number>()
  const migrations: Migration[] = []
  for (const file of files) {
    const match = FILE_PATTERN.exec(file)
    if (!match) throw new Error(`Migration file name must look like 0001_name.sql: ${file}`)
    const version = Number(match[1])
    if (seen.has(version)) throw new Error(`Two migrations share number ${match[1]}`)
    seen.add(version)
    const body = await fs.readFile(path.join(dir, file), 'utf8')
    migrations.push({
      version,
      name: match[2],
      file,
      transactional: !body.startsWith('-- writ:no-transaction'),
      body,
    })
  }
  return migrations
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySql = postgres.Sql<any>

export type MigrateResult = { applied: string[]; skipped: number }

/**
 * Applies pending migrations. One process at a time: the session-level advisory lock is taken on
 * a reserved connection by polling pg_try_advisory_lock *outside* any transaction. (Blocking on
 * the lock inside a transaction, or in a long-running statement, holds a snapshot, and a
 * CREATE INDEX CONCURRENTLY in the lock holder's migration would wait for it forever.)
 */
export async function migrate(
  sql: AnySql,
  { dir = MIGRATIONS_DIR, log = (_: string) => {} } = {},
): Promise<MigrateResult> {
  const migrations = await readMigrations(dir)
  const conn = await sql.reserve()
  const applied: string[] = []
  let skipped = 0
  try {
    for (;;) {
      const [{ locked }] = await conn`select pg_try_advisory_lock(${LOCK_KEY}) as locked`
      if (locked) break
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 100))
    }
    try {
      await conn`
        create table if not exists schema_migrations (
          version integer primary key,
          name text not null,
          applied_at timestamptz not null default now()
        )`
      const done = new Set(
        (await conn<{ version: number }[]>`select version from schema_migrations`).map(
          (r) => r.version,
        ),
      )
      for (const m of migrations) {
        if (done.has(m.version)) {
          skipped++
          continue
        }
        if (m.transactional) {
          await conn.unsafe('begin')
          try {
            await conn.unsafe(m.body)
            await conn`insert into schema_migrations (version, name) values (${m.version}, ${m.name})`
            await conn.unsafe('commit')
          } catch (error) {
            await conn.unsafe('rollback')
            throw error
          }
        } else {
          await conn.unsafe(m.body)
          await conn`insert into schema_migrations (version, name) values (${m.version}, ${m.name})`
        }
        applied.push(m.file)
        log(`migrated ${m.file}`)
      }
    } finally {
      await conn`select pg_advisory_unlock(${LOCK_KEY})`
    }
  } finally {
    conn.release()
  }
  return { applied, skipped }
}
