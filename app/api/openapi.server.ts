import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi'
import { z } from 'zod'
import { getEnv } from '#app/utils/env.server'
import { WEBHOOK_EVENT_TYPES } from '#db/queries/webhooks'
import { API_OPERATIONS, ListQuery, Problem } from './schemas'

// The OpenAPI 3.1 document, generated from the same Zod objects that validate requests
// (schemas.ts). Built once per process.

let cached: { base: string; doc: unknown } | undefined

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: Problem } },
})

export function openApiDocument(): unknown {
  const base = getEnv().PUBLIC_URL
  if (cached?.base === base) return cached.doc
  const registry = new OpenAPIRegistry()
  registry.registerComponent('securitySchemes', 'bearerKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key from /admin/api (or `npm run apikey:create`), as `Bearer writ_…`.',
  })
  for (const op of API_OPERATIONS) {
    registry.registerPath({
      operationId: op.id,
      method: op.method,
      path: op.path,
      summary: op.summary,
      description: `Requires the \`${op.scope}\` scope.`,
      tags: [op.path.split('/')[1]],
      security: [{ bearerKey: [op.scope] }],
      'x-scope': op.scope,
      request: {
        ...(op.params
          ? { params: z.object({ id: z.string().meta({ description: 'The id.' }) }) }
          : {}),
        ...(op.list ? { query: ListQuery } : {}),
        ...(op.body
          ? { body: { required: true, content: { 'application/json': { schema: op.body } } } }
          : {}),
      },
      responses: {
        [op.method === 'post' ? 201 : 200]: {
          description: op.list
            ? 'A page of results. A `Link: <…>; rel="next"` header points at the next page.'
            : 'The resource.',
          content: { 'application/json': { schema: op.response } },
        },
        ...(op.method === 'post'
          ? {
              200: {
                description: 'Already signed: the existing signature (nothing new stored).',
                content: { 'application/json': { schema: op.response } },
              },
              409: problemResponse('The campaign is closed or does not take signatures here.'),
            }
          : {}),
        401: problemResponse('Missing or invalid API key.'),
        403: problemResponse('The key lacks the scope.'),
        ...(op.params ? { 404: problemResponse('No such resource.') } : {}),
        ...(op.list || op.body ? { 422: problemResponse('Invalid query or body.') } : {}),
        429: problemResponse('Rate limit reached; see Retry-After.'),
      },
    })
  }
  const generator = new OpenApiGeneratorV31(registry.definitions)
  const doc = generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Writ API',
      version: '1.0.0',
      description: `Read campaigns, supporters, signatures, letters and donations, and record signatures. Webhook events: ${WEBHOOK_EVENT_TYPES.join(', ')}. Reference: ${base}/api/docs`,
    },
    servers: [{ url: `${base}/api/v1` }],
  })
  cached = { base, doc }
  return doc
}
