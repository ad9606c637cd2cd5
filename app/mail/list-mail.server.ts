import type { z } from 'zod'
import type { Sql } from '#db/client'
import type { EmailTemplate } from '#emails/render'
import { getEnv } from '#app/utils/env.server'
import { queueTemplateEmail } from './mail.server'
import type { TFunction } from 'i18next'

// List mail (mailings, ladder follow-ups, petition delivery updates): what every such email
// carries and who may get one. Who: `listMailable` in db/queries/mail.ts (opted in, not
// unsubscribed, erased or hard-bounced), checked by the audience query and again by the sender.

export { listMailable } from '#db/queries/mail'

/** The headers every list email carries: RFC 2369 List-Unsubscribe and RFC 8058 one-click. */
export function listUnsubscribeHeaders(unsubscribeUrl: string): Record<string, string> {
  return {
    'List-Unsubscribe': `<${unsubscribeUrl}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  }
}

/** The footer props every list template takes: the organization, its postal address, the link. */
export type ListFooter = { unsubscribeUrl: string; orgName: string; postalAddress: string }

export function listFooter(unsubscribeUrl: string): ListFooter {
  const env = getEnv()
  return { unsubscribeUrl, orgName: env.ORG_NAME, postalAddress: env.ORG_POSTAL_ADDRESS }
}

/**
 * Queues one list email to one supporter in their language, with the unsubscribe headers and
 * the footer. The caller selected the supporter with listMailable; the sender checks it again.
 */
export async function queueListEmail<S extends z.ZodType>(
  sql: Sql,
  template: EmailTemplate<S>,
  props: (footer: ListFooter) => z.input<S>,
  email: {
    supporter: { id: string; email: string }
    unsubscribeUrl: string
    i18n: { t: TFunction; locale: string }
    idempotencyKey: string
  },
): Promise<{ messageId: string }> {
  return queueTemplateEmail(sql, template, props(listFooter(email.unsubscribeUrl)), {
    kind: 'list',
    to: email.supporter.email,
    i18n: email.i18n,
    headers: listUnsubscribeHeaders(email.unsubscribeUrl),
    supporterId: email.supporter.id,
    idempotencyKey: email.idempotencyKey,
  })
}
