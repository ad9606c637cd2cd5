import type { Sql } from '#db/client'
import {
  deleteAccessRule as removeAccessRuleRow,
  listAccessRules,
  upsertAccessRule as saveAccessRule,
  type AccessRule,
} from '#db/queries/safety'

export { listAccessRules, type AccessRule }

type RuleSets = {
  allowedIps: Set<string>
  blockedIps: Set<string>
  allowedDomains: Set<string>
  blockedDomains: Set<string>
}

// Read on every limited request, so cached briefly; an edit takes effect within CACHE_MS.
const CACHE_MS = 10_000
let cache: { at: number; sets: RuleSets } | undefined

export async function getAccessRules(sql: Sql): Promise<RuleSets> {
  if (cache && Date.now() - cache.at < CACHE_MS) return cache.sets
  const rows = await listAccessRules(sql)
  const sets: RuleSets = {
    allowedIps: new Set(),
    blockedIps: new Set(),
    allowedDomains: new Set(),
    blockedDomains: new Set(),
  }
  for (const r of rows) {
    const target =
      r.kind === 'ip'
        ? r.action === 'allow'
          ? sets.allowedIps
          : sets.blockedIps
        : r.action === 'allow'
          ? sets.allowedDomains
          : sets.blockedDomains
    target.add(r.value)
  }
  cache = { at: Date.now(), sets }
  return sets
}

export function clearAccessRuleCache() {
  cache = undefined
}

/** Saves an allow or block rule (values are compared lower-case) and applies it at once. */
export async function upsertAccessRule(
  sql: Sql,
  rule: {
    kind: 'ip' | 'email_domain'
    value: string
    action: 'allow' | 'block'
    note?: string
    createdBy?: string | null
  },
): Promise<string> {
  const id = await saveAccessRule(sql, {
    kind: rule.kind,
    value: rule.value.trim().toLowerCase(),
    action: rule.action,
    note: rule.note ?? '',
    createdBy: rule.createdBy ?? null,
  })
  clearAccessRuleCache()
  return id
}

export async function deleteAccessRule(sql: Sql, id: number | string) {
  const removed = await removeAccessRuleRow(sql, id)
  clearAccessRuleCache()
  return removed
}
