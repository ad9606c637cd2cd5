// A minimal in-process, per-IP fixed-window limit for the public lookup API. Deliberately small and
// isolated: the trust & safety work replaces it with Postgres-backed limits shared by all
// processes. See docs/decisions/0201-representative-lookup.md.

export type RateLimit = { ok: true } | { ok: false; retryAfterSeconds: number }

export function createRateLimiter({ limit, windowMs }: { limit: number; windowMs: number }) {
  const windows = new Map<string, { start: number; count: number }>()
  return function hit(key: string, now = Date.now()): RateLimit {
    if (windows.size > 50_000) {
      for (const [k, w] of windows) if (now - w.start >= windowMs) windows.delete(k)
    }
    const w = windows.get(key)
    if (!w || now - w.start >= windowMs) {
      windows.set(key, { start: now, count: 1 })
      return { ok: true }
    }
    w.count++
    if (w.count <= limit) return { ok: true }
    return {
      ok: false,
      retryAfterSeconds: Math.max(1, Math.ceil((w.start + windowMs - now) / 1000)),
    }
  }
}

/** 60 lookups a minute per IP address for /api/representatives. */
export const representativesApiLimit = createRateLimiter({ limit: 60, windowMs: 60_000 })
