import type { Db, Sql } from './client'
import {
  letterCopy,
  petitionCopy,
  RED_NOTICE_LETTER_SLUG,
  RED_NOTICE_PETITION_SLUG,
  SOURCES,
  type Copy,
} from './seed/red-notice'
import { letterCopyV1, petitionCopyV1 } from './seed/red-notice-v1'
import { RED_NOTICE_CALL_SLUG, seedCallCampaign } from './seed/red-notice-call'

// Idempotent: a campaign that already exists (by slug) is left as it is, so running the seed again
// changes nothing, and an organizer's edits to the demo are never overwritten. One exception: a
// locale's copy that still equals an earlier seed's copy exactly (nobody edited it) is brought up
// to date, and so is the bill box while it still equals the earlier seed's bill. Corrections to
// the demo's facts thus reach existing databases without touching anything an organizer wrote.

const COPY_FIELDS = [
  'headline',
  'summary',
  'story',
  'ask',
  'facts',
  'thankYou',
  'shareText',
  'letterSubject',
  'letterBody',
] as const

/** Key-order-independent JSON (jsonb reorders object keys). */
function canonical(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .sort(([a], [b]) => (a < b ? -1 : 1))
              .map(([k, x]) => [k, sort(x)]),
          )
        : v
  return JSON.stringify(sort(value))
}

function sameCopy(row: Record<string, unknown>, copy: Copy): boolean {
  return COPY_FIELDS.every((f) => canonical(row[f] ?? null) === canonical(copy[f] ?? null))
}

async function seedCampaign(
  sql: Db,
  campaign: {
    slug: string
    kind: 'petition' | 'letter'
    goal: number
    targetConfig: Record<string, boolean>
    letterEditable: boolean
    cwcTopic: string | null
    bill: Record<string, unknown> | null
    /** Earlier seeds' copy and bill, replaced where they are still unedited. */
    previous?: { copy: Array<Record<'en' | 'es', Copy>>; bills: Array<Record<string, unknown>> }
    donationConfig?: Record<string, unknown>
    copy: Record<'en' | 'es', Copy>
    customTargets?: Array<{
      name: string
      title: string
      channel: 'email' | 'packet'
      email: string | null
    }>
  },
): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [created] = await tx<{ id: string }[]>`
      insert into campaigns ${tx({
        slug: campaign.slug,
        kind: campaign.kind,
        status: 'live',
        goal: campaign.goal,
        targetConfig: tx.json(campaign.targetConfig),
        letterEditable: campaign.letterEditable,
        cwcTopic: campaign.cwcTopic,
        bill: campaign.bill ? tx.json(campaign.bill as never) : null,
        ...(campaign.donationConfig
          ? { donationConfig: tx.json(campaign.donationConfig as never) }
          : {}),
        publishedAt: new Date(),
      })}
      on conflict (slug) do nothing
      returning id`
    if (!created) {
      await upgradeUnedited(tx, campaign)
      return false
    }
    for (const locale of ['en', 'es'] as const) {
      const c = campaign.copy[locale]
      await tx`
        insert into campaign_copy ${tx({
          campaignId: created.id,
          locale,
          headline: c.headline,
          summary: c.summary,
          story: c.story,
          ask: c.ask,
          facts: tx.json(c.facts),
          thankYou: c.thankYou,
          shareText: c.shareText,
          letterSubject: c.letterSubject ?? null,
          letterBody: c.letterBody ?? null,
        })}`
    }
    for (const [position, t] of (campaign.customTargets ?? []).entries()) {
      await tx`insert into custom_targets ${tx({ ...t, campaignId: created.id, position })}`
    }
    return true
  })
}

async function upgradeUnedited(
  tx: Sql,
  campaign: {
    slug: string
    bill: Record<string, unknown> | null
    copy: Record<'en' | 'es', Copy>
    previous?: { copy: Array<Record<'en' | 'es', Copy>>; bills: Array<Record<string, unknown>> }
  },
): Promise<void> {
  if (!campaign.previous) return
  const [existing] = await tx<{ id: string; bill: Record<string, unknown> | null }[]>`
    select id, bill from campaigns where slug = ${campaign.slug} for update`
  if (!existing) return
  if (
    campaign.bill &&
    campaign.previous.bills.some((b) => canonical(b) === canonical(existing.bill))
  ) {
    await tx`update campaigns set bill = ${tx.json(campaign.bill as never)} where id = ${existing.id}`
  }
  const rows = await tx<Array<Record<string, unknown> & { locale: 'en' | 'es' }>>`
    select locale, headline, summary, story, ask, facts, thank_you, share_text, letter_subject,
           letter_body
      from campaign_copy where campaign_id = ${existing.id}`
  for (const row of rows) {
    const next = campaign.copy[row.locale]
    if (!next || !campaign.previous.copy.some((p) => p[row.locale] && sameCopy(row, p[row.locale])))
      continue
    await tx`
      update campaign_copy set ${tx({
        headline: next.headline,
        summary: next.summary,
        story: next.story,
        ask: next.ask,
        facts: tx.json(next.facts),
        thankYou: next.thankYou,
        shareText: next.shareText,
        letterSubject: next.letterSubject ?? null,
        letterBody: next.letterBody ?? null,
      })}
      where campaign_id = ${existing.id} and locale = ${row.locale}`
  }
}

// The bill box: S. 2525 (its text, which has no Red Notice arrest limit) and its House companion.
const bill = {
  congress: 119,
  type: 'S',
  number: 2525,
  title: 'Transnational Repression Policy Act',
  url: SOURCES.s2525Text,
  companion: { type: 'H.R', number: 4829, url: SOURCES.hr4829 },
}

const billV1 = {
  congress: 119,
  type: 'S',
  number: 2525,
  title: 'Transnational Repression Policy Act',
  url: 'https://www.congress.gov/bill/119th-congress/senate-bill/2525',
}

export async function seedDemo(sql: Db): Promise<string[]> {
  const created: string[] = []
  if (
    await seedCampaign(sql, {
      slug: RED_NOTICE_PETITION_SLUG,
      kind: 'petition',
      goal: 10_000,
      targetConfig: {},
      letterEditable: false,
      cwcTopic: null,
      bill,
      previous: { copy: [petitionCopyV1], bills: [billV1] },
      // The demo shows its donation total and thermometer (donation goal in dollars).
      donationConfig: {
        enabled: true,
        amounts: [10, 25, 50, 100],
        maxAmount: 10_000,
        showTotal: true,
        goal: 5_000,
      },
      copy: petitionCopy,
    })
  )
    created.push(RED_NOTICE_PETITION_SLUG)
  if (
    await seedCampaign(sql, {
      slug: RED_NOTICE_LETTER_SLUG,
      kind: 'letter',
      goal: 5_000,
      targetConfig: { house: true, senate: true, stateUpper: false, stateLower: false },
      letterEditable: true,
      cwcTopic: 'Immigration',
      bill,
      previous: { copy: [letterCopyV1], bills: [billV1] },
      copy: letterCopy,
      customTargets: [
        {
          name: 'Secretary of Homeland Security',
          title: 'Secretary',
          channel: 'email',
          // Demo address: organizers set the real one in the campaign editor.
          email: 'dhs-secretary@demo.writ.example',
        },
      ],
    })
  )
    created.push(RED_NOTICE_LETTER_SLUG)
  if (await seedCallCampaign(sql, bill)) created.push(RED_NOTICE_CALL_SLUG)
  return created
}
