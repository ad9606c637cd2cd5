import postgres from 'postgres'

/** One postgres.js pool per process, the size Writ's bench server uses (DB_POOL_SIZE). */
export const sql = postgres(process.env.DATABASE_URL ?? '', {
  max: Number(process.env.DB_POOL_SIZE ?? 10),
  onnotice: () => {},
})
