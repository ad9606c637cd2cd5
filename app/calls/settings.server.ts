import type { CurrentOrganizer } from '#app/organizers/auth.server'
import { getSql } from '#db/client'
import { selectCallSettings, updateCallSettings } from '#db/queries/calls'
import { insertAudit } from '#db/queries/organizers'
import type { CallSettingsInput } from './settings-schema'
import { twilioConfigured } from './twilio.server'

// The organizer's call settings for a campaign: scripts per target group and language, the order
// offices are called in, whether "Call me" is offered, and the post text (any campaign kind).

export async function getCallSettings(campaignId: string) {
  const row = await selectCallSettings(getSql(), campaignId)
  if (!row) return undefined
  const copy = Object.fromEntries(
    row.copies.map((c) => [
      c.locale,
      {
        scriptDefault: c.callScripts.default ?? '',
        scriptSenate: c.callScripts.senate ?? '',
        scriptHouse: c.callScripts.house ?? '',
        postText: c.postText,
      },
    ]),
  )
  return {
    campaign: { id: row.id, slug: row.slug, kind: row.kind },
    locales: row.copies.map((c) => c.locale),
    values: {
      order: row.callConfig.order?.[0] === 'senate' ? 'senate-first' : 'house-first',
      patchThrough: Boolean(row.callConfig.patchThrough),
      copy,
    },
    twilioConfigured: twilioConfigured(),
  }
}

export async function saveCallSettings(
  actor: CurrentOrganizer,
  campaignId: string,
  input: CallSettingsInput,
): Promise<'ok' | 'not_found'> {
  return getSql().begin(async (tx) => {
    const row = await selectCallSettings(tx, campaignId)
    if (!row) return 'not_found' as const
    await updateCallSettings(tx, campaignId, {
      callConfig: {
        order: input.order === 'senate-first' ? ['senate', 'house'] : ['house', 'senate'],
        patchThrough: input.patchThrough,
      },
      copies: row.copies.map((c) => {
        const v = input.copy[c.locale as 'en' | 'es']
        return {
          locale: c.locale,
          callScripts: {
            ...(v?.scriptDefault ? { default: v.scriptDefault } : {}),
            ...(v?.scriptSenate ? { senate: v.scriptSenate } : {}),
            ...(v?.scriptHouse ? { house: v.scriptHouse } : {}),
          },
          postText: v?.postText ?? '',
        }
      }),
    })
    await insertAudit(tx, {
      organizerId: actor.id,
      action: 'campaign.call_settings',
      subjectType: 'campaign',
      subjectId: campaignId,
      details: { slug: row.slug },
    })
    return 'ok' as const
  })
}
