import type { LoaderFunctionArgs } from '@remix-run/node'
import { packetHtml } from '#app/delivery/packets.server'
import { requireOrganizer } from '#app/http/session.server'

// The printable packet: one letter per page. A standalone document with no scripts, so its own
// CSP allows only its inline print stylesheet.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireOrganizer(request, { role: 'organizer' })
  const id = params.packetId ?? ''
  const html = /^[0-9a-f-]{36}$/.test(id) ? await packetHtml(id) : null
  if (!html) throw new Response('Packet not found', { status: 404 })
  return new Response(html, {
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy':
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      'Cache-Control': 'private, no-store',
    },
  })
}
