import { checkHealth } from '#app/health/health.server'

export async function loader() {
  const health = await checkHealth()
  return Response.json(health, {
    status: health.ok ? 200 : 503,
    headers: {
      'Cache-Control': 'no-store',
      ...(health.ok ? {} : { 'Retry-After': '5' }),
    },
  })
}
