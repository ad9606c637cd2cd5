import type { LoaderFunctionArgs } from '@remix-run/node'
import { packetCsv } from '#app/delivery/packets.server'
import { requireOrganizer } from '#app/http/session.server'

// The packet's constituents as CSV, for the office's staff.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireOrganizer(request, { role: 'organizer' })
  const id = params.packetId ?? ''
  const csv = /^[0-9a-f-]{36}$/.test(id) ? await packetCsv(id) : null
  if (csv === null) throw new Response('Packet not found', { status: 404 })
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="packet-${id.slice(0, 8)}.csv"`,
      'Cache-Control': 'private, no-store',
    },
  })
}
