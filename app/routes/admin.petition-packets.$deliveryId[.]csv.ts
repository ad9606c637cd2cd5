import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireOrganizer } from '#app/http/session.server'
import { getPetitionPacket } from '#app/petition-delivery/petition-delivery.server'

// One office's petition signer list as CSV: first name, last name, city, ZIP, comment (ADR 0901).
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireOrganizer(request, { role: 'organizer' })
  const id = params.deliveryId ?? ''
  const packet = /^[0-9]{1,15}$/.test(id) ? await getPetitionPacket(Number(id)) : null
  if (!packet) throw new Response('Packet not found', { status: 404 })
  return new Response(packet.csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${packet.filename}"`,
      'Cache-Control': 'private, no-store',
    },
  })
}
