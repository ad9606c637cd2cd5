import postgres from 'postgres'
import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import { createSql } from '#db/client'
import { resetEnv } from '#app/utils/env.server'
import { prepareDatabase } from './prepare'
import { databaseUrl, dropDatabase } from '#tests/setup/postgres'

// `npm start` on an empty database: migrations, demo seed, and the reference-data import from
// ../shared/data; a second start imports nothing.
const name = `writ_prepare_${process.pid}`
let url: string

beforeAll(async () => {
  const adminUrl = inject('adminUrl')
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  await admin`create database ${admin(name)}`
  await admin.end()
  url = databaseUrl(adminUrl, name)
  process.env.DATABASE_URL = url
  resetEnv()
})

afterAll(async () => {
  await dropDatabase(inject('adminUrl'), name)
})

test('an empty database gets the reference data once', async () => {
  await prepareDatabase({ seed: true })
  await prepareDatabase({ seed: true })
  const sql = createSql(url, { max: 1 })
  try {
    const [counts] = await sql<{ offices: number; zips: number; imports: number }[]>`
      select (select count(*)::int from offices) as offices,
             (select count(*)::int from zip_districts) as zips,
             (select count(*)::int from reference_imports) as imports`
    expect(counts.offices).toBeGreaterThan(7000)
    expect(counts.zips).toBe(42033)
    expect(counts.imports).toBe(1)
    const [wy] = await sql<
      { holderId: string }[]
    >`select holder_id from offices where id = 'house/WY-0'`
    expect(wy.holderId).toMatch(/^[A-Z]\d{6}$/)
  } finally {
    await sql.end()
  }
})
