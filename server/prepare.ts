import { createSql } from '#db/client'
import { migrate } from '#db/migrate'
import { seedDemo } from '#db/seed'
import { getEnv } from '#app/utils/env.server'

/** Migrations (always), and optionally the demo seed. Safe to run from several processes. */
export async function prepareDatabase({ seed }: { seed: boolean }) {
  const sql = createSql(getEnv().DATABASE_URL, { max: 2, applicationName: 'writ-prepare' })
  try {
    const { applied } = await migrate(sql)
    if (applied.length) console.log(`Applied ${applied.length} migration(s).`)
    if (seed) {
      const created = await seedDemo(sql)
      if (created.length) console.log(`Seeded demo campaigns: ${created.join(', ')}`)
    }
  } finally {
    await sql.end()
  }
}
