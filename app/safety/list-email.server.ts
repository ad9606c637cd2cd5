import { getServerT } from '#app/i18n/i18n.server'
import { isLocale } from '#app/i18n/config'
import { queueEmail } from '#app/mail/mail.server'
import { getEnv } from '#app/utils/env.server'
import type { Sql } from '#db/client'
import { listListRecipients, type ListRecipient } from '#db/queries/safety'
import { campaignUpdate } from '#emails/campaign-update'
import { renderEmail } from '#emails/render'
import { listUnsubscribeHeaders, unsubscribeUrl } from './unsubscribe.server'

export type { ListRecipient }

/**
 * Queues a list (marketing) email to supporters who opted in and never unsubscribed, with
 * List-Unsubscribe one-click headers and the organization's postal address in the footer.
 * Returns how many were queued.
 */
export async function queueCampaignUpdate(
  sql: Sql,
  {
    campaignId,
    updateKey,
    copy,
  }: {
    campaignId: string
    /** identifies this update, so sending it twice queues it once per supporter */
    updateKey: string
    copy: Record<string, { subject: string; body: string }>
  },
): Promise<number> {
  const env = getEnv()
  const recipients = await listListRecipients(sql, campaignId)
  for (const r of recipients) {
    const locale = isLocale(r.locale) ? r.locale : 'en'
    const text = copy[locale] ?? copy.en
    if (!text) continue
    const rendered = await renderEmail(
      campaignUpdate,
      {
        subject: text.subject,
        body: text.body,
        unsubscribeUrl: unsubscribeUrl(r.supporterId),
        orgName: env.ORG_NAME,
        postalAddress: env.ORG_POSTAL_ADDRESS,
      },
      { t: getServerT(locale), locale },
    )
    await queueEmail(sql, {
      kind: 'list',
      template: campaignUpdate.name,
      to: r.email,
      ...rendered,
      headers: listUnsubscribeHeaders(r.supporterId),
      supporterId: r.supporterId,
      idempotencyKey: `campaign-update:${updateKey}:${r.supporterId}`,
    })
  }
  return recipients.length
}
