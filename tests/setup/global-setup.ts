import type { TestProject } from 'vitest/node'
import { ensureTemplateDatabase, resolveAdminUrl } from './postgres'

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string
    templateDb: string
  }
}

// One real Postgres for the run (TEST_DATABASE_URL, or embedded), and one migrated template
// database that each test file clones (CREATE DATABASE … TEMPLATE).
export default async function setup(project: TestProject) {
  const { adminUrl, stop } = await resolveAdminUrl()
  const templateDb = await ensureTemplateDatabase(adminUrl)
  project.provide('adminUrl', adminUrl)
  project.provide('templateDb', templateDb)
  return async () => {
    await stop()
  }
}
