import { configureSql } from '#db/client'
import { getEnv } from './env.server'

/** Points getSql() at DATABASE_URL with DB_POOL_SIZE connections. Each process entry calls it. */
export function configureSqlFromEnv(): void {
  configureSql(() => {
    const env = getEnv()
    return { url: env.DATABASE_URL, max: env.DB_POOL_SIZE }
  })
}
