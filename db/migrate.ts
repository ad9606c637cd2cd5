import fs from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type postgres from 'postgres'

// Numbered, forward-only SQL migrations. See docs/decisions/0002-migrations.md.
// Each file runs in its own transaction that first takes a transaction-scoped advisory lock, so
// any number of processes may migrate at once: each migration is applied exactly once.
// A file whose first line is `-- writ:no-transaction` (for CREATE INDEX CONCURRENTLY) runs outside
// a transaction, under a session-level advisory lock on a reserved connection.

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')
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

async function ensureTable(sql: AnySql) {
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${LOCK_KEY})`
    await tx`
      create table if not exists schema_migrations (
        version integer primary key,
        name text not null,
        applied_at timestamptz not null default now()
      )`
  })
}

export type MigrateResult = { applied: string[]; skipped: number }

export async function migrate(
  sql: AnySql,
  { dir = MIGRATIONS_DIR, log = (_: string) => {} } = {},
): Promise<MigrateResult> {
  const migrations = await readMigrations(dir)
  await ensureTable(sql)
  const applied: string[] = []
  let skipped = 0
  for (const m of migrations) {
    let ran = false
    if (m.transactional) {
      await sql.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(${LOCK_KEY})`
        const [done] = await tx`select 1 from schema_migrations where version = ${m.version}`
        if (done) return
        await tx.unsafe(m.body)
        await tx`insert into schema_migrations (version, name) values (${m.version}, ${m.name})`
        ran = true
      })
    } else {
      const conn = await sql.reserve()
      try {
        await conn`select pg_advisory_lock(${LOCK_KEY})`
        try {
          const [done] = await conn`select 1 from schema_migrations where version = ${m.version}`
          if (!done) {
            await conn.unsafe(m.body)
            await conn`insert into schema_migrations (version, name) values (${m.version}, ${m.name})`
            ran = true
          }
        } finally {
          await conn`select pg_advisory_unlock(${LOCK_KEY})`
        }
      } finally {
        conn.release()
      }
    }
    if (ran) {
      applied.push(m.file)
      log(`migrated ${m.file}`)
    } else skipped++
  }
  return { applied, skipped }
}
