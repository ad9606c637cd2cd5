import { getSql, type Db, type Sql } from '#db/client'
import {
  findCampaign,
  findCampaignCopy,
  findCustomTargets,
  insertCampaign,
  listCampaignsForAdmin,
  replaceCampaignCopy,
  replaceCustomTargets,
  selectLegislatorNames,
  setCampaignStatusRow,
  updateCampaignRow,
  type CampaignFields,
  type CopyRow,
} from '#db/queries/campaigns'
import { insertAudit } from '#db/queries/organizers'
import { listCommitteeOptions, selectCommitteeLeaders } from '#db/queries/committees'
import type { CurrentOrganizer } from '#app/organizers/auth.server'
import {
  editorLocales,
  formatCompanion,
  formatCustomTargets,
  formatFacts,
  parseAmounts,
  parseBioguides,
  parseCompanion,
  parseCustomTargets,
  parseFacts,
  type CampaignEditorInput,
} from './editor-schema'

// The organizer's campaign editor: list, create, update, publish/close/reopen, preview.
// Changes to a live campaign and every status change are written to audit_log.

export function getCampaignsForAdmin() {
  return listCampaignsForAdmin(getSql())
}

function toFields(input: CampaignEditorInput): { fields: CampaignFields; copies: CopyRow[] } {
  const copies: CopyRow[] = []
  for (const locale of editorLocales) {
    const c = input.copy[locale]
    if (!c?.headline) continue
    copies.push({
      locale,
      headline: c.headline,
      summary: c.summary ?? '',
      story: c.story ?? '',
      ask: c.ask ?? '',
      facts: parseFacts(c.facts) ?? [],
      thankYou: c.thankYou ?? '',
      shareText: c.shareText ?? '',
      letterSubject: input.kind === 'letter' ? (c.letterSubject ?? null) : null,
      letterBody: input.kind === 'letter' ? (c.letterBody ?? null) : null,
      officialsSubject: input.kind === 'letter' ? c.officialsSubject || null : null,
      officialsBody: input.kind === 'letter' ? c.officialsBody || null : null,
      thanksSubject: input.kind === 'letter' ? c.thanksSubject || null : null,
      thanksBody: input.kind === 'letter' ? c.thanksBody || null : null,
    })
  }
  const bill =
    input.billCongress && input.billType && input.billNumber
      ? {
          congress: input.billCongress,
          type: input.billType,
          number: input.billNumber,
          ...(input.billTitle ? { title: input.billTitle } : {}),
          ...(input.billUrl ? { url: input.billUrl } : {}),
          ...(parseCompanion(input.billCompanion)
            ? { companion: parseCompanion(input.billCompanion)! }
            : {}),
        }
      : null
  return {
    copies,
    fields: {
      slug: input.slug,
      kind: input.kind,
      goal: input.goal,
      defaultLocale: input.defaultLocale,
      locales: copies.map((c) => c.locale),
      targetConfig: {
        house: input.targetHouse,
        senate: input.targetSenate,
        stateUpper: input.targetStateUpper,
        stateLower: input.targetStateLower,
        ...(input.committees.length
          ? { committees: [...new Set(input.committees)], committeeMode: input.committeeMode }
          : {}),
        ...(input.kind === 'letter' && parseBioguides(input.thanksList)?.length
          ? { thanks: parseBioguides(input.thanksList)! }
          : {}),
      },
      letterEditable: input.letterEditable,
      letterMaxLength: input.letterMaxLength,
      letterRequiresConfirmation: input.letterRequiresConfirmation,
      cwcTopic: input.cwcTopic || null,
      bill,
      donationConfig: {
        enabled: input.donationEnabled,
        amounts: parseAmounts(input.donationAmounts) ?? [],
        maxAmount: input.donationMax,
        showTotal: input.donationShowTotal,
      },
    },
  }
}

export type SaveResult =
  { status: 'ok'; id: string } | { status: 'slug_taken' } | { status: 'not_found' }

export async function createCampaign(
  actor: CurrentOrganizer,
  input: CampaignEditorInput,
  db: Db = getSql(),
): Promise<SaveResult> {
  const { fields, copies } = toFields(input)
  return db.begin(async (tx) => {
    const id = await insertCampaign(tx, fields, actor.id)
    if (!id) return { status: 'slug_taken' as const }
    await replaceCampaignCopy(tx, id, copies)
    await replaceCustomTargets(tx, id, parseCustomTargets(input.customTargets) ?? [])
    await insertAudit(tx, {
      organizerId: actor.id,
      action: 'campaign.create',
      subjectType: 'campaign',
      subjectId: id,
      details: { slug: fields.slug, kind: fields.kind },
    })
    return { status: 'ok' as const, id }
  })
}

export async function updateCampaign(
  actor: CurrentOrganizer,
  id: string,
  input: CampaignEditorInput,
  db: Db = getSql(),
): Promise<SaveResult> {
  const { fields, copies } = toFields(input)
  return db.begin(async (tx) => {
    const before = await findCampaign(tx, id, { forUpdate: true })
    if (!before) return { status: 'not_found' as const }
    const beforeForm = await loadEditorValues(tx, id)
    if (!(await updateCampaignRow(tx, id, fields))) return { status: 'slug_taken' as const }
    await replaceCampaignCopy(tx, id, copies)
    await replaceCustomTargets(tx, id, parseCustomTargets(input.customTargets) ?? [])
    if (before.status !== 'draft') {
      const changed = beforeForm ? changedFields(beforeForm, input) : []
      await insertAudit(tx, {
        organizerId: actor.id,
        action: 'campaign.update_live',
        subjectType: 'campaign',
        subjectId: id,
        details: { slug: fields.slug, status: before.status, changed },
      })
    }
    return { status: 'ok' as const, id }
  })
}

function flatten(value: unknown, prefix = ''): Record<string, string> {
  if (value && typeof value === 'object') {
    return Object.entries(value).reduce<Record<string, string>>(
      (acc, [k, v]) => ({ ...acc, ...flatten(v, prefix ? `${prefix}.${k}` : k) }),
      {},
    )
  }
  return { [prefix]: value === undefined || value === null || value === false ? '' : String(value) }
}

function changedFields(before: EditorValues, after: CampaignEditorInput): string[] {
  const a = flatten(before)
  const b = flatten(after)
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((k) => (a[k] ?? '') !== (b[k] ?? ''))
    .sort()
}

export type StatusIntent = 'publish' | 'close' | 'reopen'

export async function changeCampaignStatus(
  actor: CurrentOrganizer,
  id: string,
  intent: StatusIntent,
  db: Db = getSql(),
): Promise<'ok' | 'not_found' | 'invalid'> {
  return db.begin(async (tx) => {
    const campaign = await findCampaign(tx, id)
    if (!campaign) return 'not_found'
    const transition = {
      publish: { from: ['draft'] as const, to: 'live' as const },
      close: { from: ['live'] as const, to: 'closed' as const },
      reopen: { from: ['closed'] as const, to: 'live' as const },
    }[intent]
    if (intent === 'publish') {
      const copies = await findCampaignCopy(tx, id)
      if (!copies.some((c) => c.locale === campaign.defaultLocale)) return 'invalid'
    }
    if (!(await setCampaignStatusRow(tx, id, [...transition.from], transition.to))) return 'invalid'
    await insertAudit(tx, {
      organizerId: actor.id,
      action: `campaign.${intent}`,
      subjectType: 'campaign',
      subjectId: id,
      details: { slug: campaign.slug, from: campaign.status, to: transition.to },
    })
    return 'ok'
  })
}

/** The form's values for an existing campaign (the inverse of toFields). */
export async function loadEditorValues(db: Sql, id: string) {
  const campaign = await findCampaign(db, id)
  if (!campaign) return undefined
  const copies = await findCampaignCopy(db, id)
  const targets = await findCustomTargets(db, id)
  const copy = Object.fromEntries(
    editorLocales.map((locale) => {
      const c = copies.find((x) => x.locale === locale)
      return [
        locale,
        {
          headline: c?.headline ?? '',
          summary: c?.summary ?? '',
          story: c?.story ?? '',
          ask: c?.ask ?? '',
          facts: formatFacts(c?.facts ?? []),
          thankYou: c?.thankYou ?? '',
          shareText: c?.shareText ?? '',
          letterSubject: c?.letterSubject ?? '',
          letterBody: c?.letterBody ?? '',
          officialsSubject: c?.officialsSubject ?? '',
          officialsBody: c?.officialsBody ?? '',
          thanksSubject: c?.thanksSubject ?? '',
          thanksBody: c?.thanksBody ?? '',
        },
      ]
    }),
  )
  return {
    slug: campaign.slug,
    kind: campaign.kind,
    goal: campaign.goal,
    defaultLocale: campaign.defaultLocale,
    copy,
    letterEditable: campaign.letterEditable,
    letterMaxLength: campaign.letterMaxLength,
    letterRequiresConfirmation: campaign.letterRequiresConfirmation,
    cwcTopic: campaign.cwcTopic ?? '',
    billCongress: campaign.bill?.congress ?? '',
    billType: campaign.bill?.type ?? '',
    billNumber: campaign.bill?.number ?? '',
    billTitle: campaign.bill?.title ?? '',
    billUrl: campaign.bill?.url ?? '',
    billCompanion: formatCompanion(campaign.bill?.companion),
    targetHouse: Boolean(campaign.targetConfig.house),
    targetSenate: Boolean(campaign.targetConfig.senate),
    targetStateUpper: Boolean(campaign.targetConfig.stateUpper),
    targetStateLower: Boolean(campaign.targetConfig.stateLower),
    committees: campaign.targetConfig.committees ?? [],
    committeeMode:
      campaign.targetConfig.committeeMode ?? (campaign.kind === 'letter' ? 'mine' : 'every'),
    customTargets: formatCustomTargets(targets),
    thanksList: (campaign.targetConfig.thanks ?? []).join(' '),
    donationEnabled: campaign.donationConfig.enabled,
    donationAmounts: campaign.donationConfig.amounts.join(', '),
    donationMax: campaign.donationConfig.maxAmount,
    donationShowTotal: campaign.donationConfig.showTotal,
  }
}
export type EditorValues = NonNullable<Awaited<ReturnType<typeof loadEditorValues>>>

export async function getCampaignEditor(id: string) {
  const db = getSql()
  const campaign = await findCampaign(db, id)
  if (!campaign) return undefined
  const values = await loadEditorValues(db, id)
  return {
    campaign: {
      id: campaign.id,
      slug: campaign.slug,
      status: campaign.status,
      kind: campaign.kind,
      publishedAt: campaign.publishedAt,
      closedAt: campaign.closedAt,
    },
    values: values!,
  }
}

/** The committees and subcommittees an organizer can target, labelled for a select. */
export async function getCommitteeOptions(): Promise<Array<{ value: string; label: string }>> {
  const rows = await listCommitteeOptions(getSql())
  return rows.map((c) => ({
    value: c.id,
    label: c.parentName ? `${c.parentName}: ${c.name} (${c.id})` : `${c.name} (${c.id})`,
  }))
}

/** Everything the public page shows, for a campaign in any status (drafts included). */
export async function getCampaignPreview(id: string, locale: 'en' | 'es') {
  const db = getSql()
  const campaign = await findCampaign(db, id)
  if (!campaign) return undefined
  const copies = await findCampaignCopy(db, id)
  const copy =
    copies.find((c) => c.locale === locale) ??
    copies.find((c) => c.locale === campaign.defaultLocale) ??
    copies[0]
  const targets = await findCustomTargets(db, id)
  const committeeIds = campaign.targetConfig.committees ?? []
  const [options, leaders] = await Promise.all([
    listCommitteeOptions(db),
    selectCommitteeLeaders(db, committeeIds),
  ])
  // Each chosen committee with its chair (majority rank 1) and ranking member (minority rank 1).
  const committees = committeeIds.map((cid) => {
    const c = options.find((o) => o.id === cid)
    return {
      id: cid,
      name: c ? (c.parentName ? `${c.parentName}: ${c.name}` : c.name) : cid,
      chair: leaders.find((l) => l.committeeId === cid && l.party === 'majority') ?? null,
      ranking: leaders.find((l) => l.committeeId === cid && l.party === 'minority') ?? null,
    }
  })
  // The thank-you list by name, so an organizer can check the ids they pasted (ADR 0904).
  const thanksIds = campaign.targetConfig.thanks ?? []
  const named = await selectLegislatorNames(db, thanksIds)
  const thanks = thanksIds.map((tid) => ({
    id: tid,
    name: named.find((n) => n.id === tid)?.fullName ?? null,
  }))
  return {
    campaign,
    copy,
    targets,
    committees,
    committeeMode: campaign.targetConfig.committeeMode ?? null,
    thanks,
  }
}
