import { describe, expect, test } from 'vitest'
import { EnvError, parseEnv } from './env.server'

describe('environment', () => {
  test('names the bad variable', () => {
    expect(() => parseEnv({ DATABASE_URL: 'mysql://x', PORT: 'abc' })).toThrow(EnvError)
    try {
      parseEnv({ DATABASE_URL: 'mysql://x', PORT: 'abc' })
    } catch (e) {
      expect((e as Error).message).toMatch(/DATABASE_URL: must be a postgres:\/\/ URL/)
      expect((e as Error).message).toMatch(/PORT/)
    }
  })

  test('development generates a session secret; production refuses a missing one', () => {
    const dev = parseEnv({ NODE_ENV: 'development', DATABASE_URL: 'postgres://x@localhost/db' })
    expect(dev.SESSION_SECRET.length).toBeGreaterThanOrEqual(32)
    expect(dev.PORT).toBe(3000)
    expect(() =>
      parseEnv({ NODE_ENV: 'production', DATABASE_URL: 'postgres://x@localhost/db' }),
    ).toThrow(/SESSION_SECRET: is required when NODE_ENV=production/)
  })

  test('production refuses the local fake Stripe', () => {
    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://x@localhost/db',
      SESSION_SECRET: 'x'.repeat(40),
      PUBLIC_URL: 'https://writ.example.org',
      SMTP_URL: 'smtp://mail.example.org',
      STRIPE_SECRET_KEY: 'sk_live_x',
      STRIPE_WEBHOOK_SECRET: 'whsec_x',
    }
    expect(parseEnv(env).PUBLIC_URL).toBe('https://writ.example.org')
    expect(() => parseEnv({ ...env, STRIPE_API_BASE: 'http://127.0.0.1:12111' })).toThrow(
      /STRIPE_API_BASE/,
    )
  })
})
