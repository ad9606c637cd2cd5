import { type LoaderFunctionArgs } from '@remix-run/node'
import { exportSupportersCsv } from '#app/exports/exports.server'
import { requireOrganizer } from '#app/organizers/auth.server'

// GET /admin/campaigns/:id/supporters.csv — list-consent only unless ?consent=all.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request, { pii: true, as: 'resource' })
  const listConsentOnly = new URL(request.url).searchParams.get('consent') !== 'all'
  return exportSupportersCsv(organizer, params.id ?? '', { listConsentOnly })
}
