import { type LoaderFunctionArgs } from '@remix-run/node'
import { requireOrganizer } from '#app/http/session.server'
import { exportSupporter } from '#app/privacy/privacy.server'

// Everything Writ holds about one supporter, as a JSON download. Audited.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request, { pii: true, as: 'resource' })
  const id = params.supporterId ?? ''
  const exported = /^[0-9a-f-]{36}$/i.test(id) ? await exportSupporter(organizer, id) : undefined
  if (!exported) return new Response('Supporter not found', { status: 404 })
  return new Response(JSON.stringify(exported, null, 2), {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="writ-supporter-${id}.json"`,
      'Cache-Control': 'no-store',
    },
  })
}
