import path from 'node:path'
import type postgres from 'postgres'
import { seedDemo } from '#db/seed'
import { importReferenceData } from '#app/reference-data/import.server'

// What every test database starts with, after migrations. Bump the version when a step changes
// so that the cached template is rebuilt.
export const TEMPLATE_STEPS_VERSION = 'v12' // v12: the demo call campaign; v11: a neutral DHS greeting; v10: the demo ladder, the petition targets Congress, the letter's three groups; v7: committees; v6: the demo's corrected copy

/**
 * The reference data's raw files and geocoder fixtures, for the tests that read them: the
 * directory global setup resolved (tests/setup/reference-dir.ts: REFERENCE_DATA_DIR,
 * ../shared/data, or the official URLs cached in .data/reference-cache), else ../shared/data.
 * Never copied into the repo. The template database itself imports from wherever npm start would.
 */
export const REFERENCE_DATA_DIR =
  process.env.WRIT_TEST_REFERENCE_DIR ??
  path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data')

export const templateSteps: Array<
  (sql: postgres.Sql<Record<string, unknown>>) => Promise<unknown>
> = [
  (sql) => seedDemo(sql),
  // global setup runs before the app's environment is complete, so REFERENCE_DATA_DIR is passed
  (sql) => importReferenceData({ sql, configured: () => process.env.REFERENCE_DATA_DIR }),
]
