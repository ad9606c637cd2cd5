import { problem } from '#app/http/api.server'

// Any other path under /api/v1: problem+json, never the site's HTML 404.
export const loader = () =>
  problem(404, 'not-found', { detail: 'No such API route. See /api/v1/openapi.json.' })
export const action = loader
