import { PROBLEM_STATUSES } from './problems'
import { openApiDocument } from './openapi.server'
import { API_OPERATIONS } from './schemas'
import { WEBHOOK_EVENTS } from '#app/webhooks/schema'

// What /api/docs shows, read from the same operation table and OpenAPI document as the API.

type SchemaObject = { properties?: Record<string, unknown> }

export function apiReference() {
  const doc = openApiDocument() as { components?: { schemas?: Record<string, SchemaObject> } }
  const schemas = Object.entries(doc.components?.schemas ?? {})
    .filter(([, s]) => s.properties)
    .map(([name, s]) => ({ name, fields: Object.keys(s.properties ?? {}) }))
  return {
    operations: API_OPERATIONS.map((op) => ({
      id: op.id,
      method: op.method.toUpperCase(),
      path: `/api/v1${op.path.replace(/\{(\w+)\}/g, ':$1')}`,
      scope: op.scope,
      summary: op.summary,
      fields: op.list ? ['after', 'limit', 'updated_since'] : [],
    })),
    problems: PROBLEM_STATUSES,
    events: [...WEBHOOK_EVENTS],
    schemas,
  }
}
