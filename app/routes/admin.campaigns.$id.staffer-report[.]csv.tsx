import { type LoaderFunctionArgs } from '@remix-run/node'
import { exportStafferReportCsv } from '#app/exports/exports.server'
import { requireOrganizer } from '#app/http/session.server'
import { csvResponse } from '#app/utils/csv-response.server'

// GET /admin/campaigns/:id/staffer-report.csv?office=<office key>: name, city, ZIP only.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request, { pii: true, as: 'resource' })
  const office = new URL(request.url).searchParams.get('office') ?? ''
  const out = await exportStafferReportCsv(organizer, params.id ?? '', office)
  switch (out.kind) {
    case 'not-found':
      throw new Response('Campaign not found', { status: 404 })
    case 'no-office':
      throw new Response('Choose an office (?office=…)', { status: 400 })
    case 'csv':
      return csvResponse(out.csv)
  }
}
