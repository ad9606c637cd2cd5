import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireOrganizer } from '#app/http/session.server'
import { getPetitionPacket } from '#app/petition-delivery/petition-delivery.server'

// One office's petition packet, printable: the cover letter, then the signer list (ADR 0901).
// A standalone document with no scripts, so its own CSP allows only its inline print stylesheet.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireOrganizer(request, { role: 'organizer' })
  const id = params.deliveryId ?? ''
  const packet = /^[0-9]{1,15}$/.test(id) ? await getPetitionPacket(Number(id)) : null
  if (!packet) throw new Response('Packet not found', { status: 404 })
  return new Response(packet.html, {
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy':
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      'Cache-Control': 'private, no-store',
    },
  })
}
