import { afterAll, beforeAll, inject } from 'vitest'
import { closeSql, createSql } from '#db/client'
import { resetEnv } from '#app/utils/env.server'
import { createDatabaseFromTemplate, databaseUrl, dropDatabase } from './postgres'

export type TestDatabase = {
  name: string
  url: string
  sql: ReturnType<typeof createSql>
}

/** A fresh database cloned from the migrated, seeded template. */
export async function createTestDatabase(): Promise<TestDatabase & { drop(): Promise<void> }> {
  const adminUrl = inject('adminUrl')
  const name = await createDatabaseFromTemplate(adminUrl, inject('templateDb'))
  const url = databaseUrl(adminUrl, name)
  const sql = createSql(url, { max: 5 })
  return {
    name,
    url,
    sql,
    async drop() {
      await sql.end({ timeout: 1 })
      await dropDatabase(adminUrl, name)
    },
  }
}

/**
 * For a test file that calls the app (loaders, actions, server modules): clones a database,
 * points DATABASE_URL at it, and cleans up after the file.
 */
export function useAppDatabase(): TestDatabase {
  const handle = {} as TestDatabase
  let drop: (() => Promise<void>) | undefined
  beforeAll(async () => {
    const db = await createTestDatabase()
    Object.assign(handle, db)
    drop = db.drop
    process.env.DATABASE_URL = db.url
    resetEnv()
  })
  afterAll(async () => {
    await closeSql(1)
    await drop?.()
  })
  return handle
}
