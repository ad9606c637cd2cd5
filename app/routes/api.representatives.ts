import { type LoaderFunctionArgs } from '@remix-run/node'
import { findRepresentatives, readRepresentativesQuery } from '#app/targets/targets.server'

// GET /api/representatives?zip=82001 | ?address=… [&district=NY-12] [&state_legislators=1]
export async function loader({ request, context }: LoaderFunctionArgs) {
  const query = readRepresentativesQuery(new URL(request.url).searchParams)
  const found = await findRepresentatives(query, { ip: context.clientIp ?? 'unknown' })
  if (!found.ok) {
    return Response.json(
      { error: found.error },
      {
        status: found.status,
        headers: found.retryAfter ? { 'Retry-After': String(found.retryAfter) } : undefined,
      },
    )
  }
  return Response.json(found.result, {
    headers: { 'Cache-Control': query.address ? 'private, no-store' : 'public, max-age=300' },
  })
}
