import { getEnv } from '#app/utils/env.server'

// A very short cache for what every anonymous campaign view reads (campaign, count, recent
// signers). At viral load most views fall in the same second, so the database answers once a
// second per campaign instead of once per view. A signature recorded in this process drops the
// campaign's entries at once, so the signer always sees their own signature counted.
// See docs/decisions/0700-performance-and-resilience.md.

const entries = new Map<string, { expires: number; value: Promise<unknown> }>()

export function cachedRead<T>(key: string, load: () => Promise<T>): Promise<T> {
  const ttl = getEnv().READ_CACHE_MS
  if (ttl <= 0) return load()
  const now = Date.now()
  const hit = entries.get(key)
  if (hit && hit.expires > now) return hit.value as Promise<T>
  const value = load()
  entries.set(key, { expires: now + ttl, value })
  // a failed read is not cached
  value.catch(() => entries.delete(key))
  if (entries.size > 10_000) entries.clear()
  return value
}

/**
 * A signature changes the count and the recent signers (the `page` reads), not the campaign
 * itself: the sign action's own campaign read stays cached, or at 1,000 signatures a second
 * nearly every signature would read the campaign again.
 */
export function invalidateCampaignCounts(slug: string) {
  for (const key of entries.keys()) if (key.startsWith(`${slug}:page:`)) entries.delete(key)
}
