import { messageIdFor } from '#app/mail/mail.server'
import { getEnv } from '#app/utils/env.server'
import type { Db } from '#db/client'
import {
  deleteExpiredEmailTokens,
  lockLettersDueForPurge,
  purgeLetterTexts,
  purgeSentEmailBodies,
} from '#db/queries/retention'

// Forgetting after delivery, run by the worker (app/jobs/processors.server.ts `recurring`):
// - RETENTION_ADDRESS_DAYS after a letter's last delivery ended, its street address and every copy
//   of its text go; first name, last initial, city, state, ZIP and each office's status stay.
//   A letter with a copy awaiting hand delivery waits until its packet is delivered.
// - RETENTION_MAIL_DAYS after an email was sent, it keeps only its metadata.
// See docs/decisions/0812-erasure-and-retention.md.

const DAY_MS = 86_400_000
const BATCH = 500

export type RetentionCounts = { letters: number; emails: number; tokens: number }

export async function purgeExpiredPersonalData(
  sql: Db,
  { now = new Date() }: { now?: Date } = {},
): Promise<RetentionCounts> {
  const env = getEnv()
  const addressCutoff = new Date(now.getTime() - env.RETENTION_ADDRESS_DAYS * DAY_MS)
  const mailCutoff = new Date(now.getTime() - env.RETENTION_MAIL_DAYS * DAY_MS)
  const counts: RetentionCounts = { letters: 0, emails: 0, tokens: 0 }
  for (;;) {
    // One transaction per batch: a letter and all its copies are purged together.
    const done = await sql.begin(async (tx) => {
      const letterIds = await lockLettersDueForPurge(tx, { cutoff: addressCutoff, limit: BATCH })
      await purgeLetterTexts(tx, {
        letterIds,
        receiptMessageIds: letterIds.map((id) => messageIdFor(`letter-receipt/${id}`)),
      })
      return letterIds.length
    })
    counts.letters += done
    if (done < BATCH) break
  }
  for (;;) {
    const done = await purgeSentEmailBodies(sql, { cutoff: mailCutoff, limit: BATCH * 4 })
    counts.emails += done
    if (done < BATCH * 4) break
  }
  counts.tokens = await deleteExpiredEmailTokens(sql, mailCutoff)
  return counts
}
