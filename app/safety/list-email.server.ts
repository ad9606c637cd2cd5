import { getServerT } from '#app/i18n/i18n.server'
import { isLocale } from '#app/i18n/config'
import { queueTemplateEmail } from '#app/mail/mail.server'
import { getEnv } from '#app/utils/env.server'
import type { Sql } from '#db/client'
import { listListRecipients, type ListRecipient } from '#db/queries/safety'
import { campaignUpdate } from '#emails/campaign-update'
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
    await queueTemplateEmail(
      sql,
      campaignUpdate,
      {
        subject: text.subject,
        body: text.body,
        unsubscribeUrl: unsubscribeUrl(r.supporterId),
        orgName: env.ORG_NAME,
        postalAddress: env.ORG_POSTAL_ADDRESS,
      },
      {
        kind: 'list',
        to: r.email,
        i18n: { t: getServerT(locale), locale },
        headers: listUnsubscribeHeaders(r.supporterId),
        supporterId: r.supporterId,
        idempotencyKey: `campaign-update:${updateKey}:${r.supporterId}`,
      },
    )
  }
  return recipients.length
}
