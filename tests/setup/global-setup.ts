import type { TestProject } from 'vitest/node'
import { ensureTemplateDatabase, resolveAdminUrl } from './postgres'
import { ensureReferenceDir } from './reference-dir'

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string
    templateDb: string
  }
}

// One real Postgres for the run (TEST_DATABASE_URL, or embedded), and one migrated template
// database that each test file clones (CREATE DATABASE … TEMPLATE).
export default async function setup(project: TestProject) {
  // before the workers start, so that they inherit it (tests/setup/template-steps.ts)
  process.env.WRIT_TEST_REFERENCE_DIR = await ensureReferenceDir()
  const { adminUrl, stop } = await resolveAdminUrl()
  const templateDb = await ensureTemplateDatabase(adminUrl)
  project.provide('adminUrl', adminUrl)
  project.provide('templateDb', templateDb)
  return async () => {
    await stop()
  }
}
