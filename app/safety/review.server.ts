import { audit, type CurrentOrganizer } from '#app/organizers/auth.server'
import { getSql } from '#db/client'
import { clearAccessRuleCache, listAccessRules, type AccessRule } from './access-rules.server'

// The organizers' trust & safety page: held (flagged) signatures to release or delete, and the
// allow/block lists. Every change is written to audit_log in the same transaction.

export type HeldSignature = {
  id: string
  campaignSlug: string
  displayName: string | null
  email: string
  comment: string | null
  flagReason: string | null
  createdAt: Date
}

export async function getSafetyPage(): Promise<{
  held: HeldSignature[]
  heldTotal: number
  rules: AccessRule[]
}> {
  const sql = getSql()
  const [held, [{ heldTotal }], rules] = await Promise.all([
    sql<HeldSignature[]>`
      select s.id::text, c.slug as campaign_slug,
             s.display_name, p.email, s.comment, s.flag_reason, s.created_at
      from signatures s
      join campaigns c on c.id = s.campaign_id
      join supporters p on p.id = s.supporter_id
      where s.held
      order by s.created_at desc
      limit 200`,
    sql<{ heldTotal: number }[]>`select count(*)::int as held_total from signatures where held`,
    listAccessRules(sql),
  ])
  return { held, heldTotal, rules }
}

/** Releases a held signature into the count (and its letter, if any, into delivery). */
export async function decideSignature(
  organizer: CurrentOrganizer,
  signatureId: string,
  decision: 'release' | 'delete',
): Promise<boolean> {
  return getSql().begin(async (tx) => {
    const rows =
      decision === 'release'
        ? await tx<{ flagReason: string | null }[]>`
            update signatures set held = false where id = ${signatureId} and held
            returning flag_reason`
        : await tx<{ flagReason: string | null }[]>`
            delete from signatures where id = ${signatureId} and held returning flag_reason`
    if (!rows.length) return false
    await audit(tx, {
      organizerId: organizer.id,
      action: decision === 'release' ? 'safety.signature_released' : 'safety.signature_deleted',
      subjectType: 'signature',
      subjectId: signatureId,
      details: { flagReason: rows[0].flagReason },
    })
    return true
  })
}

export async function addAccessRule(
  organizer: CurrentOrganizer,
  rule: { kind: 'ip' | 'email_domain'; value: string; action: 'allow' | 'block'; note?: string },
) {
  await getSql().begin(async (tx) => {
    const [row] = await tx<{ id: string }[]>`
      insert into access_rules ${tx({
        kind: rule.kind,
        value: rule.value,
        action: rule.action,
        note: rule.note ?? '',
        createdBy: organizer.id,
      })}
      on conflict (kind, value) do update set action = excluded.action, note = excluded.note
      returning id::text`
    await audit(tx, {
      organizerId: organizer.id,
      action: 'safety.access_rule_saved',
      subjectType: 'access_rule',
      subjectId: row.id,
      details: { kind: rule.kind, value: rule.value, action: rule.action, note: rule.note ?? '' },
    })
  })
  clearAccessRuleCache()
}

export async function removeAccessRule(organizer: CurrentOrganizer, ruleId: string) {
  const removed = await getSql().begin(async (tx) => {
    const [row] = await tx<{ kind: string; value: string; action: string }[]>`
      delete from access_rules where id = ${ruleId} returning kind, value, action`
    if (!row) return false
    await audit(tx, {
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
