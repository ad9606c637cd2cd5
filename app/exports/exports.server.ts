import { getSql } from '#db/client'
import { findCampaign } from '#db/queries/campaigns'
import { officeDeliveryCounts, stafferReportCursor, supportersCursor } from '#db/queries/exports'
import { insertAudit } from '#db/queries/organizers'
import type { Locale } from '#app/i18n/config'
import { getServerT } from '#app/i18n/i18n.server'
import type { CurrentOrganizer } from '#app/organizers/auth.server'
import { csvFile, type CsvFile } from './csv.server'

// Organizer exports: a campaign's supporters, and the per-office staffer report. Both stream from
// a cursor and are audited before the first byte.

const UUID = /^[0-9a-f-]{36}$/i

async function campaignById(id: string) {
  return UUID.test(id) ? await findCampaign(getSql(), id) : undefined
}

export type CsvExport =
  { kind: 'not-found' } | { kind: 'no-office' } | { kind: 'csv'; csv: CsvFile }

export async function exportSupportersCsv(
  actor: CurrentOrganizer,
  campaignId: string,
  { listConsentOnly }: { listConsentOnly: boolean },
): Promise<CsvExport> {
  const campaign = await campaignById(campaignId)
  if (!campaign) return { kind: 'not-found' }
  const sql = getSql()
  await insertAudit(sql, {
    organizerId: actor.id,
    action: 'export.supporters_csv',
    subjectType: 'campaign',
    subjectId: campaign.id,
    details: { slug: campaign.slug, listConsentOnly },
  })
  const csv = csvFile(
    `${campaign.slug}-supporters${listConsentOnly ? '' : '-all'}.csv`,
    [
      'email',
      'first_name',
      'last_name',
      'city',
      'state',
      'zip',
      'locale',
      'list_opt_in',
      'signed_at',
      'confirmed_at',
      'source',
      'comment',
    ],
    supportersCursor(sql, campaign.id, { listConsentOnly }),
    (r) => [
      r.email,
      r.firstName,
      r.lastName,
      r.city,
      r.state,
      r.zip,
      r.locale,
      r.listOptIn ? 'yes' : 'no',
      r.signedAt,
      r.confirmedAt,
      r.source,
      r.comment,
    ],
  )
  return { kind: 'csv', csv }
}

/**
 * Letters per office. A legislator's title is stored in each letter's language, so the page
 * names it in the organizer's language instead; a named official keeps the organizers' title.
 */
export async function getOfficeReports(campaignId: string, locale: Locale) {
  const campaign = await campaignById(campaignId)
  if (!campaign) return undefined
  const t = getServerT(locale)
  const offices = await officeDeliveryCounts(getSql(), campaign.id)
  return {
    campaign: { id: campaign.id, slug: campaign.slug, kind: campaign.kind },
    offices: offices.map((o) => ({
      ...o,
      officeTitle: o.chamber ? t(`letters:titles.${o.chamber}`) : o.officeTitle,
    })),
  }
}

export async function exportStafferReportCsv(
  actor: CurrentOrganizer,
  campaignId: string,
  officeKey: string,
): Promise<CsvExport> {
  const campaign = await campaignById(campaignId)
  if (!campaign) return { kind: 'not-found' }
  if (!officeKey) return { kind: 'no-office' }
  const sql = getSql()
  await insertAudit(sql, {
    organizerId: actor.id,
    action: 'export.staffer_report',
    subjectType: 'campaign',
    subjectId: campaign.id,
    details: { slug: campaign.slug, officeKey },
  })
  const safeOffice = officeKey.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-|-$/g, '')
  const csv = csvFile(
    `${campaign.slug}-${safeOffice}-constituents.csv`,
    ['name', 'city', 'zip'],
    stafferReportCursor(sql, campaign.id, officeKey),
    (r) => [[r.firstName, r.lastName].filter(Boolean).join(' '), r.city, r.zip],
  )
  return { kind: 'csv', csv }
}
