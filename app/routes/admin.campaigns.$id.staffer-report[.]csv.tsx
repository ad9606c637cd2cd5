import { type LoaderFunctionArgs } from '@remix-run/node'
import { exportStafferReportCsv } from '#app/exports/exports.server'
import { requireOrganizer } from '#app/organizers/auth.server'

// GET /admin/campaigns/:id/staffer-report.csv?office=<office key>: name, city, ZIP only.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request, { pii: true, as: 'resource' })
  const office = new URL(request.url).searchParams.get('office') ?? ''
  return exportStafferReportCsv(organizer, params.id ?? '', office)
}
