import { openApiDocument } from '#app/api/openapi.server'

// The OpenAPI 3.1 document, generated from the Zod schemas that validate requests. Public: it
// describes the API, never its data.
export const loader = () =>
  new Response(JSON.stringify(openApiDocument(), null, 2), {
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=300' },
  })
