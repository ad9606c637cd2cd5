import postgres from 'postgres'

/** The pool. Use it where a function opens its own transaction (sql.begin). */
export type Db = postgres.Sql<Record<string, unknown>>
/** Works for the pool and for a transaction from sql.begin(): what query functions take. */
export type Sql = Db | postgres.TransactionSql<Record<string, unknown>>

/** The pool, as opposed to a transaction from sql.begin() (which has no `begin` of its own). */
export function isPool(sql: Sql): sql is Db {
  return typeof (sql as Partial<Db>).begin === 'function'
}

export type ClientOptions = { max?: number; applicationName?: string }

/** A new client with Writ's settings. Tests and scripts use it; the app uses getSql(). */
/**
 * Seconds a pool connection waits before reconnecting after its connection failed. postgres.js's
 * default grows with every failure anywhere in the pool (0.5–1 × min(3^n / 100, 20) s) and only
 * resets on a successful connect: after a few seconds of database outage under load it reached
 * 10–20 s, so the first request after the database came back waited that long on a closed
 * connection's reconnect timer (the DB restart drill saw 8–15 s). Writ caps it at 0.5 s: an
 * outage answers 503 at once anyway, and refused connects to a down database are cheap.
 * See docs/decisions/0700-performance-and-resilience.md.
 */
export function reconnectBackoffSeconds(retries: number): number {
  return (0.5 + Math.random() / 2) * Math.min(0.05 * 2 ** retries, 0.5)
}

export function createSql(url: string, options: ClientOptions = {}) {
  return postgres(url, {
    transform: postgres.camel,
    max: options.max ?? 10,
    idle_timeout: 30,
    connect_timeout: 5,
    backoff: reconnectBackoffSeconds,
    onnotice: () => {},
    // no JIT: see db/client.test.ts and docs/decisions/1304-one-statement-text-for-the-sign-batch.md
    connection: { application_name: options.applicationName ?? 'writ', jit: 'off' },
  })
}

/** Where getSql()'s pool connects. */
export type SqlConfig = { url: string; max?: number }

// One client per process. The Remix build and the server entry may both import this file, and
// a dev rebuild re-imports the build; globalThis keeps a single pool, and the configuration the
// entry gave, across all of them.
const holder = globalThis as typeof globalThis & {
  __writSql?: postgres.Sql<Record<string, unknown>>
  __writSqlConfig?: () => SqlConfig
}

/**
 * Tells getSql() where to connect. db/ reads no configuration of its own (it never imports app/):
 * each process's entry passes it in before the first getSql(). A function, read whenever the pool
 * opens, so that after closeSql() the next pool follows a changed DATABASE_URL (tests do this).
 */
export function configureSql(config: () => SqlConfig): void {
  holder.__writSqlConfig = config
}

export function getSql(): postgres.Sql<Record<string, unknown>> {
  if (!holder.__writSql) {
    const config = holder.__writSqlConfig
    if (!config) throw new Error('getSql() before configureSql(): the process entry configures it')
    const { url, max } = config()
    holder.__writSql = createSql(url, { max })
  }
  return holder.__writSql
}

export async function closeSql(timeoutSeconds = 5) {
  const sql = holder.__writSql
  holder.__writSql = undefined
  if (sql) await sql.end({ timeout: timeoutSeconds })
}
