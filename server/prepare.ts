import { createSql } from '#db/client'
import { migrate } from '#db/migrate'
import { countOffices } from '#db/queries/reference-data'
import { seedDemo } from '#db/seed'
import { importReferenceData } from '#app/reference-data/import.server'
import { getEnv } from '#app/utils/env.server'

/**
 * Migrations (always), and optionally the demo seed and, on an empty database with a local data
 * source, the reference-data import. Safe to run from several processes.
 */
export async function prepareDatabase({ seed }: { seed: boolean }) {
  const sql = createSql(getEnv().DATABASE_URL, { max: 2, applicationName: 'writ-prepare' })
  try {
    const { applied } = await migrate(sql)
    if (applied.length) console.log(`Applied ${applied.length} migration(s).`)
    if (seed) {
      const created = await seedDemo(sql)
      if (created.length) console.log(`Seeded demo campaigns: ${created.join(', ')}`)
      if ((await countOffices(sql)) === 0) {
        // REFERENCE_DATA_DIR, ../shared/data, then the official URLs (downloaded once)
        try {
          const report = await importReferenceData({ sql, onProgress: (m) => console.log(m) })
          console.log(`Imported reference data (import #${report.importId}).`)
        } catch (error) {
          console.log(
            `No reference data yet (${(error as Error).message}): run \`npm run data:import\` ` +
              '(REFERENCE_DATA_DIR or the public URLs).',
          )
        }
      }
    }
  } finally {
    await sql.end()
  }
}

/**
 * `npm run serve` refuses to start while the demo owner exists: its password is published in the
 * README, so a database that ever ran the local demo must not become a deployment as it is.
 */
export async function refuseDemoOrganizer() {
  const { DEMO_ORGANIZER } = await import('#app/organizers/organizers.server')
  const { findOrganizerByEmail } = await import('#db/queries/organizers')
  const sql = createSql(getEnv().DATABASE_URL, { max: 1, applicationName: 'writ-prepare' })
  try {
    if (await findOrganizerByEmail(sql, DEMO_ORGANIZER.email)) {
      throw new Error(
        `Refusing to serve: the demo organizer ${DEMO_ORGANIZER.email} exists in this database, and its password is published.\n` +
          'Remove it first with `npm run organizer:remove-demo` (same DATABASE_URL), then start again.',
      )
    }
  } finally {
    await sql.end()
  }
}

/**
 * npm start on its own embedded Postgres only (never an external DATABASE_URL, never npm run
 * serve): the demo owner, created once. Returns its credentials.
 */
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
