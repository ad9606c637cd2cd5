import { createSql } from '#db/client'
import { seedDemo } from '#db/seed'
import { getEnv } from '#app/utils/env.server'

const sql = createSql(getEnv().DATABASE_URL, { max: 2 })
try {
  const created = await seedDemo(sql)
  console.log(created.length ? `Seeded: ${created.join(', ')}` : 'Demo campaigns already present.')
} finally {
  await sql.end()
}
