import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import postgres from 'postgres'
import { createSql } from '#db/client'
import { migrate, MIGRATIONS_DIR } from '#db/migrate'
import { startEmbeddedPostgres } from '../../server/embedded-postgres'
import { templateSteps, TEMPLATE_STEPS_VERSION } from './template-steps'

const TEMPLATE_LOCK = 7_020_012

/** TEST_DATABASE_URL (any database on the server; we only create and drop our own), or embedded. */
export async function resolveAdminUrl(): Promise<{ adminUrl: string; stop: () => Promise<void> }> {
  if (process.env.TEST_DATABASE_URL) {
    return { adminUrl: process.env.TEST_DATABASE_URL, stop: async () => {} }
  }
  const embedded = await startEmbeddedPostgres({
    dataDir: '.data/test-pg',
    port: 54339,
    database: 'postgres',
    log: () => {},
  })
  return { adminUrl: embedded.url('postgres'), stop: () => embedded.stop() }
}

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl)
  url.pathname = `/${database}`
  return url.toString()
}

function templateName(): string {
  const hash = createHash('sha256')
  for (const file of fs.readdirSync(MIGRATIONS_DIR).sort()) {
    hash.update(file).update(fs.readFileSync(path.join(MIGRATIONS_DIR, file)))
  }
  hash.update(TEMPLATE_STEPS_VERSION)
  return `writ_tpl_${hash.digest('hex').slice(0, 12)}`
}

/** Creates (once, under an advisory lock) a migrated template database and returns its name. */
export async function ensureTemplateDatabase(adminUrl: string): Promise<string> {
  const name = templateName()
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  try {
    await admin`select pg_advisory_lock(${TEMPLATE_LOCK})`
    const [exists] = await admin`select 1 from pg_database where datname = ${name}`
    if (!exists) {
      const building = `${name}_build_${randomBytes(3).toString('hex')}`
      await admin`create database ${admin(building)}`
      const sql = createSql(databaseUrl(adminUrl, building), { max: 4 })
      try {
        await migrate(sql)
        for (const step of templateSteps) await step(sql)
      } finally {
        await sql.end()
      }
      // Renamed only when complete, so a failed build never leaves a half-made template.
      await admin`alter database ${admin(building)} rename to ${admin(name)}`
    }
    await admin`select pg_advisory_unlock(${TEMPLATE_LOCK})`
  } finally {
    await admin.end()
  }
  return name
}

export async function createDatabaseFromTemplate(
  adminUrl: string,
  template: string,
): Promise<string> {
  const name = `writ_test_${randomBytes(6).toString('hex')}`
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin`create database ${admin(name)} template ${admin(template)}`
        break
      } catch (error) {
        // another session may be cloning the same template at this instant
        if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message))
          throw error
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200))
      }
    }
  } finally {
    await admin.end()
  }
  return name
}

export async function dropDatabase(adminUrl: string, name: string) {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  try {
    await admin`drop database if exists ${admin(name)} with (force)`
  } finally {
    await admin.end()
  }
}
