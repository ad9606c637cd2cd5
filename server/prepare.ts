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

/** npm start only (never npm run serve): the demo owner, created once. Returns its credentials. */
export async function seedDemoOrganizerForLocalRun() {
  const { DEMO_ORGANIZER, seedDemoOrganizer } = await import('#app/organizers/organizers.server')
  const sql = createSql(getEnv().DATABASE_URL, { max: 1, applicationName: 'writ-prepare' })
  try {
    if (await seedDemoOrganizer(sql))
      console.log(`Seeded the demo organizer ${DEMO_ORGANIZER.email}.`)
  } finally {
    await sql.end()
  }
  return DEMO_ORGANIZER
}
