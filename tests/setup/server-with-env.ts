import { closeSql } from '#db/client'
import { resetEnv } from '#app/utils/env.server'
import { createTestDatabase, type TestDatabase } from '#tests/setup/db'
import type { RunningServer } from '../../server/run'

export type ServerWithEnv = {
  server: RunningServer
  db: TestDatabase & { drop(): Promise<void> }
  /** Stops the server, drops the database and puts the environment back. */
  close(): Promise<void>
}

/**
 * The built app on a random loopback port, over a fresh test database, with `env` on top of the
 * test environment. `production: true` adds what `npm run serve` requires (and no local fakes).
 * The server is imported only after the environment is set, as `npm run serve` would load it:
 * some modules (the locale cookie's name) read it when they load.
 */
export async function startServerWithEnv(
  env: Record<string, string>,
  { production = false }: { production?: boolean } = {},
): Promise<ServerWithEnv> {
  const saved = { ...process.env }
  const db = await createTestDatabase()
  Object.assign(process.env, {
    ...(production
      ? {
          NODE_ENV: 'production',
          PUBLIC_URL: 'https://writ.example.org',
          SESSION_SECRET: 'server-with-env-'.padEnd(40, 'x'),
          SMTP_URL: 'smtp://127.0.0.1:9',
          STRIPE_SECRET_KEY: 'sk_test_server_with_env',
          STRIPE_WEBHOOK_SECRET: 'whsec_server_with_env',
        }
      : {}),
    DATABASE_URL: db.url,
    RUN_WORKER: 'false',
    ...env,
  })
  if (production) delete process.env.STRIPE_API_BASE
  resetEnv()
  const { runServer } = await import('../../server/run')
  const server = await runServer({ port: 0, host: '127.0.0.1' })
  return {
    server,
    db,
    async close() {
      await server.close()
      await closeSql(1)
      await db.drop()
      process.env = saved
      resetEnv()
    },
  }
}
