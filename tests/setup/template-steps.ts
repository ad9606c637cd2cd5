import type postgres from 'postgres'
import { seedDemo } from '#db/seed'

// What every test database starts with, after migrations. Bump the version when a step changes
// so that the cached template is rebuilt.
export const TEMPLATE_STEPS_VERSION = 'v2' // v2: the demo petition shows its donation total

export const templateSteps: Array<
  (sql: postgres.Sql<Record<string, unknown>>) => Promise<unknown>
> = [(sql) => seedDemo(sql)]
