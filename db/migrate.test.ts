import { spawn } from 'node:child_process'
import path from 'node:path'
import { afterEach, describe, expect, inject, test } from 'vitest'
import { createSql } from './client'
import { migrate, readMigrations } from './migrate'
import { databaseUrl, dropDatabase } from '#tests/setup/postgres'
import postgres from 'postgres'

const created: string[] = []
async function emptyDatabase() {
  const adminUrl = inject('adminUrl')
  const name = `writ_empty_${Math.random().toString(16).slice(2, 10)}`
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  await admin`create database ${admin(name)}`
  await admin.end()
  created.push(name)
  return databaseUrl(adminUrl, name)
}

afterEach(async () => {
  for (const name of created.splice(0)) await dropDatabase(inject('adminUrl'), name)
})

function runMigrateCli(url: string) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(path.resolve('node_modules/.bin/tsx'), ['server/migrate-cli.ts'], {
      env: { ...process.env, DATABASE_URL: url, NODE_ENV: 'test' },
    })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    child.on('close', (code) => resolve({ code, output }))
  })
}

describe('migrations', () => {
  test('two processes migrating at once apply each migration exactly once', async () => {
    const url = await emptyDatabase()
    const [a, b] = await Promise.all([runMigrateCli(url), runMigrateCli(url)])
    expect(a.code, a.output).toBe(0)
    expect(b.code, b.output).toBe(0)
    const sql = createSql(url, { max: 1 })
    const rows = await sql<{ version: number; n: number }[]>`
      select version, count(*)::int as n from schema_migrations group by version order by version`
    const files = await readMigrations()
    expect(rows.map((r) => r.version)).toEqual(files.map((f) => f.version))
    expect(rows.every((r) => r.n === 1)).toBe(true)
    // exactly one of the two processes reported applying the first migration
    const appliers = [a, b].filter((r) => /Applied \d+ migration/.test(r.output))
    expect(appliers.length).toBeGreaterThanOrEqual(1)
    await sql.end()
  })

  test('a second run applies nothing, and a failing migration leaves no trace', async () => {
    const url = await emptyDatabase()
    const sql = createSql(url, { max: 2 })
    const first = await migrate(sql)
    expect(first.applied.length).toBeGreaterThan(0)
    const second = await migrate(sql)
    expect(second.applied).toEqual([])

    const fs = await import('node:fs/promises')
    const os = await import('node:os')
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'writ-mig-'))
    await fs.writeFile(path.join(dir, '0001_ok.sql'), 'create table t_ok (id int);')
    await fs.writeFile(path.join(dir, '0002_bad.sql'), 'create table t_bad (id int); select 1/0;')
    const other = await emptyDatabase()
    const sql2 = createSql(other, { max: 2 })
    await expect(migrate(sql2, { dir })).rejects.toThrow(/division by zero/)
    const tables = await sql2<{ name: string }[]>`
      select table_name as name from information_schema.tables where table_name like 't\\_%'`
    expect(tables.map((t) => t.name)).toEqual(['t_ok'])
    const [{ n }] = await sql2<{ n: number }[]>`select count(*)::int as n from schema_migrations`
    expect(n).toBe(1)
    await sql.end()
    await sql2.end()
  })

  test('CREATE INDEX CONCURRENTLY in a no-transaction migration does not deadlock two migrators', async () => {
    const fs = await import('node:fs/promises')
    const os = await import('node:os')
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'writ-mig-cic-'))
    await fs.writeFile(
      path.join(dir, '0001_table.sql'),
      'create table t_cic (id int); insert into t_cic select generate_series(1, 20000);',
    )
    await fs.writeFile(
      path.join(dir, '0002_index.sql'),
      '-- writ:no-transaction\ncreate index concurrently t_cic_id_idx on t_cic (id);',
    )
    await fs.writeFile(path.join(dir, '0003_after.sql'), 'alter table t_cic add column note text;')
    const url = await emptyDatabase()
    const a = createSql(url, { max: 2 })
    const b = createSql(url, { max: 2 })
    const [ra, rb] = await Promise.all([migrate(a, { dir }), migrate(b, { dir })])
    expect([...ra.applied, ...rb.applied].sort()).toEqual([
      '0001_table.sql',
      '0002_index.sql',
      '0003_after.sql',
    ])
    const [idx] =
      await a`select indisvalid as valid from pg_index where indexrelid = 't_cic_id_idx'::regclass`
    expect(idx.valid).toBe(true)
    await a.end()
    await b.end()
  })
})
