import { emailLimitKey, normalizeEmailForLimits } from '#app/safety/client.server'
import { getEnv } from '#app/utils/env.server'
import { getSql, type Db } from '#db/client'
import { insertAudit } from '#db/queries/organizers'
import { collectSupporterData, eraseSupporterRows, findSupporterByEmail } from '#db/queries/privacy'
import type { CurrentOrganizer } from '#app/organizers/auth.server'

// Supporters' privacy requests: find, export (JSON), erase. Audit entries name the supporter by
// id only, so the log itself holds no personal data after an erasure.
// See docs/decisions/0502-privacy-erasure.md.

export function searchSupporter(email: string) {
  return findSupporterByEmail(getSql(), email)
}

export async function exportSupporter(
  actor: CurrentOrganizer,
  supporterId: string,
  db: Db = getSql(),
) {
  return db.begin(async (tx) => {
    const collected = await collectSupporterData(tx, supporterId)
    if (!collected) return undefined
    await insertAudit(tx, {
      organizerId: actor.id,
      action: 'privacy.export',
      subjectType: 'supporter',
      subjectId: supporterId,
    })
    return { exportedAt: new Date().toISOString(), format: 'writ-supporter-export/1', ...collected }
  })
}

export async function eraseSupporter(
  actor: CurrentOrganizer,
  supporterId: string,
  db: Db = getSql(),
) {
  return db.begin(async (tx) => {
    const counts = await eraseSupporterRows(tx, supporterId, {
      limitKeys: (email) => [emailLimitKey(email), normalizeEmailForLimits(email)],
    })
    if (!counts) return undefined
    await insertAudit(tx, {
      organizerId: actor.id,
      action: 'privacy.erase',
      subjectType: 'supporter',
      subjectId: supporterId,
      details: counts,
    })
    return counts
  })
}

export function getPrivacyContact() {
  const env = getEnv()
  return {
    orgName: env.ORG_NAME,
    email: env.PRIVACY_EMAIL ?? null,
    postalAddress: env.ORG_POSTAL_ADDRESS,
    addressDays: env.RETENTION_ADDRESS_DAYS,
    mailDays: env.RETENTION_MAIL_DAYS,
  }
}
