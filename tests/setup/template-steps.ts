import path from 'node:path'
import type postgres from 'postgres'
import { seedDemo } from '#db/seed'
import { importReferenceData } from '#app/reference-data/import.server'

// What every test database starts with, after migrations. Bump the version when a step changes
// so that the cached template is rebuilt.
export const TEMPLATE_STEPS_VERSION = 'v7' // v7: committees; v6: the demo's corrected copy

/**
 * The shared data directory (../shared/data beside the project), for the tests that read its raw
 * files and geocoder fixtures. Never copied into the repo. The template database itself imports
 * from wherever npm start would: REFERENCE_DATA_DIR, ../shared/data, then the official URLs.
 */
export const REFERENCE_DATA_DIR = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'shared',
  'data',
)

export const templateSteps: Array<
  (sql: postgres.Sql<Record<string, unknown>>) => Promise<unknown>
> = [
  (sql) => seedDemo(sql),
  // global setup runs before the app's environment is complete, so REFERENCE_DATA_DIR is passed
  (sql) => importReferenceData({ sql, configured: () => process.env.REFERENCE_DATA_DIR }),
]
