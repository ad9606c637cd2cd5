import path from 'node:path'
import type postgres from 'postgres'
import { seedDemo } from '#db/seed'
import { importReferenceData } from '#app/reference-data/import.server'

// What every test database starts with, after migrations. Bump the version when a step changes
// so that the cached template is rebuilt.
export const TEMPLATE_STEPS_VERSION = 'v4' // v4: reference data + the demo petition shows its donation total

/** The shared reference data (../shared/data beside the project). Never copied into the repo. */
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
  (sql) => importReferenceData({ sql, from: REFERENCE_DATA_DIR, reportDir: null }),
]
