import { getServerT } from '#app/i18n/i18n.server'
import { isLocale } from '#app/i18n/config'
import { queueEmail, queueTemplateEmail } from '#app/mail/mail.server'
import { getEnv } from '#app/utils/env.server'
import type { Db, Sql } from '#db/client'
import { listDeliveriesForLetter } from '#db/queries/deliveries'
import {
  claimLetterReceipt,
  findLetterStatusTokenHash,
  listLettersReadyForReceipt,
} from '#db/queries/letters'
import receiptEmail from '#emails/letter-receipt'
import handDeliveredEmail from '#emails/letter-hand-delivered'
import { findPacket, type HandDeliveredLetter } from '#db/queries/packets'
import { renderEmail } from '#emails/render'
import { letterStatusUrl } from './status-link.server'
import { describeDelivery } from './status.server'

// Exactly one receipt per letter, once every office has a final status (delivered, failed, or
// awaiting hand delivery). letters.receipt_sent_at is claimed in the transaction that queues the
// email, so two workers cannot both send it.

/** Sends the receipts that are due among these letters. Returns how many were queued. */
export async function sendReceiptsFor(sql: Sql, letterIds: string[]): Promise<number> {
  let sent = 0
  for (const letterId of letterIds) {
    if (await sendReceiptIfDue(sql, letterId)) sent++
  }
  return sent
}

/** Crash recovery: letters whose receipt is due but was never sent. */
export async function sweepReceipts(sql: Sql, limit = 50): Promise<number> {
  return sendReceiptsFor(sql, await listLettersReadyForReceipt(sql, limit))
}

export async function sendReceiptIfDue(sql: Sql, letterId: string): Promise<boolean> {
  const run = async (tx: Sql) => {
    const letter = await claimLetterReceipt(tx, letterId)
    if (!letter?.email) return false
    const locale = isLocale(letter.locale) ? letter.locale : 'en'
    const t = getServerT(locale)
    const env = getEnv()
    const deliveries = await listDeliveriesForLetter(tx, letterId)
    const lines = deliveries.map((d) => describeDelivery(d, t, locale))
    // The writer's own letter as the first of their legislators got it (each copy differs only in
    // its own name), else the first office's (ADR 0904: officials and thanked legislators get the
    // organization's copies). Its text only goes to a confirmed address (anyone can type someone
    // else's into the form).
    const first = deliveries.find((d) => d.copyGroup === 'constituent') ?? deliveries[0]
    const text = letter.emailConfirmed
    const statusUrl = letterStatusUrl(letterId, await findLetterStatusTokenHash(tx, letterId))
    const rendered = await renderEmail(
      receiptEmail,
      {
        firstName: letter.firstName ?? '',
        subject: text ? (first?.subject ?? letter.subject ?? null) : null,
        body: text ? (first?.body ?? letter.body ?? null) : null,
        statusUrl,
        orgName: env.ORG_NAME,
        offices: lines.map((l) => ({
          name: l.officeName,
          title: l.officeTitle,
          status: l.status,
          channel: l.channel,
          at: l.at,
          detail: l.detail,
        })),
      },
      { t, locale },
    )
    await queueEmail(tx, {
      kind: 'transactional',
      template: 'letter-receipt',
      to: letter.email,
      ...rendered,
      supporterId: letter.supporterId,
      idempotencyKey: `letter-receipt/${letterId}`,
    })
    return true
  }
  // Inside a caller's transaction, join it; otherwise open one.
  return 'savepoint' in sql ? run(sql) : (sql as Db).begin((tx) => run(tx))
}

/**
 * A packet was marked delivered after these writers' receipts went out: each gets one short
 * update naming the office (issue 14, section 5). Run in the transaction that marks it.
 */
export async function sendHandDeliveredUpdates(
  sql: Sql,
  packetId: string,
  letters: HandDeliveredLetter[],
): Promise<number> {
  if (letters.length === 0) return 0
  const packet = await findPacket(sql, packetId)
  if (!packet) return 0
  const env = getEnv()
  for (const letter of letters) {
    const locale = isLocale(letter.locale) ? letter.locale : 'en'
    await queueTemplateEmail(
      sql,
      handDeliveredEmail,
      {
        firstName: letter.firstName ?? '',
        office: `${packet.officeTitle} ${packet.officeName}`.trim(),
        deliveredOn: new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(
          new Date(),
        ),
        statusUrl: letterStatusUrl(
          letter.letterId,
          await findLetterStatusTokenHash(sql, letter.letterId),
        ),
        orgName: env.ORG_NAME,
      },
      {
        to: letter.email,
        i18n: { t: getServerT(locale), locale },
        supporterId: letter.supporterId,
        idempotencyKey: `letter-hand-delivered/${letter.letterId}/${packetId}`,
      },
    )
  }
  return letters.length
}
