import type { Db } from './client'
import {
  letterCopy,
  petitionCopy,
  RED_NOTICE_LETTER_SLUG,
  RED_NOTICE_PETITION_SLUG,
  type Copy,
} from './seed/red-notice'

// Idempotent: a campaign that already exists (by slug) is left exactly as it is, so running the
// seed again changes nothing, and an organizer's edits to the demo are never overwritten.

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
    if (!created) return false
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

const bill = {
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
  return created
}
