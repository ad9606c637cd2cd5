import { type LoaderFunctionArgs } from '@remix-run/node'
import { exportSupportersCsv } from '#app/exports/exports.server'
import { requireOrganizer } from '#app/http/session.server'
import { csvResponse } from '#app/utils/csv-response.server'

// GET /admin/campaigns/:id/supporters.csv — list-consent only unless ?consent=all.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request, { pii: true, as: 'resource' })
  const listConsentOnly = new URL(request.url).searchParams.get('consent') !== 'all'
  const out = await exportSupportersCsv(organizer, params.id ?? '', { listConsentOnly })
  if (out.kind !== 'csv') throw new Response('Campaign not found', { status: 404 })
  return csvResponse(out.csv)
}
