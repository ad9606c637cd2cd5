import { getSql } from '#db/client'

export type Health = { ok: boolean; db: 'up' | 'down' }

/** Never throws: a database that is down or slow is reported, not raised. */
export async function checkHealth(timeoutMs = 2000): Promise<Health> {
  let timer: NodeJS.Timeout | undefined
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('database health check timed out')), timeoutMs)
    })
    await Promise.race([getSql()`select 1`, timeout])
    return { ok: true, db: 'up' }
  } catch {
    return { ok: false, db: 'down' }
  } finally {
    clearTimeout(timer)
  }
}
