import { createSql } from '#db/client'
import { migrate } from '#db/migrate'
import { getEnv } from '#app/utils/env.server'

const sql = createSql(getEnv().DATABASE_URL, { max: 2, applicationName: 'writ-migrate' })
try {
  const { applied } = await migrate(sql, { log: console.log })
  console.log(
    applied.length ? `Applied ${applied.length} migration(s).` : 'Database is up to date.',
  )
} finally {
  await sql.end()
}
