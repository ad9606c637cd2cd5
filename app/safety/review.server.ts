import { getFailedEmails, type FailedEmail } from '#app/mail/mail.server'
import { getSql, type Sql } from '#db/client'
import { cancelDeliveriesOfHeldSignature } from '#db/queries/deliveries'
import { insertAudit } from '#db/queries/organizers'
import {
  countHeldSignatures,
  decideHeldSignature,
  deleteAccessRule,
  listHeldSignatures,
  upsertAccessRule,
  type HeldSignature,
} from '#db/queries/safety'
import { clearAccessRuleCache, listAccessRules, type AccessRule } from './access-rules.server'

// The organizers' trust & safety page: held (flagged) signatures to release or delete, and the
// allow/block lists. Every change is written to audit_log in the same transaction.

export type { HeldSignature }

/** Who acts: the signed-in organizer (only the id is recorded). */
type Actor = { id: string }

export async function getSafetyPage(): Promise<{
  held: HeldSignature[]
  heldTotal: number
  rules: AccessRule[]
  /** email the outbox gave up on, by recipient domain only */
  failedEmails: FailedEmail[]
}> {
  const sql = getSql()
  const [held, heldTotal, rules, failedEmails] = await Promise.all([
    listHeldSignatures(sql),
    countHeldSignatures(sql),
    listAccessRules(sql),
    getFailedEmails(sql),
  ])
  return { held, heldTotal, rules, failedEmails }
}

/**
 * Releases a held signature into the count (and its letter, if any, into delivery), or deletes
 * it and cancels its letter's deliveries (never sent), in one transaction. A release queues the
 * signature's confirmation email in the same transaction: `queueConfirmation` (from
 * app/signatures, which depends on this folder, so it is passed in).
 */
export async function decideSignature(
  organizer: Actor,
  signatureId: string,
  decision: 'release' | 'delete',
  { queueConfirmation }: { queueConfirmation: (tx: Sql, signatureId: string) => Promise<unknown> },
): Promise<boolean> {
  return getSql().begin(async (tx) => {
    // Before the delete: afterwards the letter no longer points at the signature.
    if (decision === 'delete') {
      await cancelDeliveriesOfHeldSignature(tx, signatureId, 'signature_deleted_in_review')
    }
    const decided = await decideHeldSignature(tx, signatureId, decision)
    if (!decided) return false
    if (decision === 'release') await queueConfirmation(tx, signatureId)
    await insertAudit(tx, {
      organizerId: organizer.id,
      action: decision === 'release' ? 'safety.signature_released' : 'safety.signature_deleted',
      subjectType: 'signature',
      subjectId: signatureId,
      details: { flagReason: decided.flagReason },
    })
    return true
  })
}

export async function addAccessRule(
  organizer: Actor,
  rule: { kind: 'ip' | 'email_domain'; value: string; action: 'allow' | 'block'; note?: string },
) {
  await getSql().begin(async (tx) => {
    const id = await upsertAccessRule(tx, {
      kind: rule.kind,
      value: rule.value,
      action: rule.action,
      note: rule.note ?? '',
      createdBy: organizer.id,
    })
    await insertAudit(tx, {
      organizerId: organizer.id,
      action: 'safety.access_rule_saved',
      subjectType: 'access_rule',
      subjectId: id,
      details: { kind: rule.kind, value: rule.value, action: rule.action, note: rule.note ?? '' },
    })
  })
  clearAccessRuleCache()
}

export async function removeAccessRule(organizer: Actor, ruleId: string) {
  const removed = await getSql().begin(async (tx) => {
    const row = await deleteAccessRule(tx, ruleId)
    if (!row) return false
    await insertAudit(tx, {
      organizerId: organizer.id,
      action: 'safety.access_rule_deleted',
      subjectType: 'access_rule',
      subjectId: ruleId,
      details: { ...row },
    })
    return true
  })
  clearAccessRuleCache()
  return removed
}
