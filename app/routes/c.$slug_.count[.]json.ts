import type { LoaderFunctionArgs } from '@remix-run/node'
import { getLiveCount } from '#app/campaigns/live-count.server'
import { getLocale } from '#app/i18n/i18n.server'

// The campaign page's live count (public/live-count.js polls it every 15 s while visible). Public
// and the same for everyone, so browsers and proxies may keep it for 5 s.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const live = await getLiveCount(params.slug!, await getLocale(request))
  if (!live) return Response.json({ error: 'Not found' }, { status: 404 })
  return Response.json(live, {
    headers: { 'Cache-Control': 'public, max-age=5', Vary: 'Accept-Language, Cookie' },
  })
}
