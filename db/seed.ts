import type { Db, Sql } from './client'
import {
  DHS_SALUTATION,
  letterCopy,
  petitionCopy,
  RED_NOTICE_LETTER_SLUG,
  RED_NOTICE_PETITION_SLUG,
  SOURCES,
  THANKS_BIOGUIDES,
  type Copy,
} from './seed/red-notice'
import { letterCopyV1, letterCopyV2, petitionCopyV1 } from './seed/red-notice-v1'
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
  'officialsSubject',
  'officialsBody',
  'thanksSubject',
  'thanksBody',
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
    targetConfig: Record<string, boolean | string[]>
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
      salutation?: string
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
          officialsSubject: c.officialsSubject ?? null,
          officialsBody: c.officialsBody ?? null,
          thanksSubject: c.thanksSubject ?? null,
          thanksBody: c.thanksBody ?? null,
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
    targetConfig: Record<string, boolean | string[]>
    customTargets?: Array<{ name: string; salutation?: string }>
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
           letter_body, officials_subject, officials_body, thanks_subject, thanks_body
      from campaign_copy where campaign_id = ${existing.id}`
  let upgraded = false
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
        officialsSubject: next.officialsSubject ?? null,
        officialsBody: next.officialsBody ?? null,
        thanksSubject: next.thanksSubject ?? null,
        thanksBody: next.thanksBody ?? null,
      })}
      where campaign_id = ${existing.id} and locale = ${row.locale}`
    upgraded = true
  }
  // The message groups came with their copy (ADR 0904): an unedited demo that just received it
  // gets its thank-you list and the official's salutation too, where nobody has set them.
  if (!upgraded) return
  if (Array.isArray(campaign.targetConfig.thanks)) {
    await tx`
      update campaigns
      set target_config = target_config || ${tx.json({ thanks: campaign.targetConfig.thanks })}
      where id = ${existing.id} and not (target_config ? 'thanks')`
  }
  for (const t of campaign.customTargets ?? []) {
    if (!t.salutation) continue
    await tx`
      update custom_targets set salutation = ${t.salutation}
      where campaign_id = ${existing.id} and name = ${t.name} and salutation is null`
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
      targetConfig: { house: true, senate: true },
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
      // The thank-you group: the bill's sponsors and original cosponsors (ADR 0904).
      targetConfig: {
        house: true,
        senate: true,
        stateUpper: false,
        stateLower: false,
        thanks: THANKS_BIOGUIDES,
      },
      letterEditable: true,
      cwcTopic: 'Immigration',
      bill,
      previous: { copy: [letterCopyV1, letterCopyV2], bills: [billV1] },
      copy: letterCopy,
      customTargets: [
        {
          name: 'Secretary of Homeland Security',
          title: 'Secretary',
          channel: 'email',
          // Demo address: organizers set the real one in the campaign editor.
          email: 'dhs-secretary@demo.writ.example',
          salutation: DHS_SALUTATION,
        },
      ],
    })
  )
    created.push(RED_NOTICE_LETTER_SLUG)
  if (await seedCallCampaign(sql, bill)) created.push(RED_NOTICE_CALL_SLUG)
  await seedDemoLadders(sql)
  return created
}

const donateStep = {
  en: {
    title: 'Help fund this campaign',
    text: 'Writ is run by people like you. A gift of any size keeps these letters reaching Congress.',
  },
  es: {
    title: 'Ayuda a financiar esta campaña',
    text: 'Writ lo sostienen personas como tú. Un aporte de cualquier monto mantiene estas cartas llegando al Congreso.',
  },
}

/**
 * The demo ladder (ADR 1101): the petition asks next for a letter, then a gift; the letter
 * campaign asks for a gift. Only for a campaign that has no ladder yet, so an organizer's own
 * ladder is never overwritten.
 */
async function seedDemoLadders(sql: Db): Promise<void> {
  await sql.begin(async (tx) => {
    const rows = await tx<{ id: string; slug: string }[]>`
      select id, slug from campaigns
      where slug in (${RED_NOTICE_PETITION_SLUG}, ${RED_NOTICE_LETTER_SLUG})`
    const petition = rows.find((r) => r.slug === RED_NOTICE_PETITION_SLUG)
    const letter = rows.find((r) => r.slug === RED_NOTICE_LETTER_SLUG)
    if (!petition || !letter) return
    const ladders: Array<[string, Array<Record<string, unknown>>]> = [
      [
        petition.id,
        [
          {
            kind: 'campaign',
            targetCampaignId: letter.id,
            copy: {
              en: {
                title: 'Write your legislators',
                text: 'Your signature counts. A letter from someone in their district counts more: it takes two minutes, and Writ delivers it to each of your offices.',
              },
              es: {
                title: 'Escribe a tus legisladores',
                text: 'Tu firma cuenta. Una carta de alguien de su distrito cuenta más: toma dos minutos y Writ la entrega a cada una de tus oficinas.',
              },
            },
          },
          { kind: 'donate', targetCampaignId: null, copy: donateStep },
        ],
      ],
      [letter.id, [{ kind: 'donate', targetCampaignId: null, copy: donateStep }]],
    ]
    for (const [campaignId, steps] of ladders) {
      const [has] = await tx`select 1 from ladder_steps where campaign_id = ${campaignId} limit 1`
      if (has) continue
      for (const [position, step] of steps.entries()) {
        await tx`
          insert into ladder_steps ${tx({
            campaignId,
            position,
            kind: step.kind as string,
            targetCampaignId: step.targetCampaignId as string | null,
            copy: tx.json(step.copy as never),
          })}`
      }
    }
  })
}
