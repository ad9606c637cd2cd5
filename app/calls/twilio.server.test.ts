import { describe, expect, test } from 'vitest'
import { parseEnv } from '#app/utils/env.server'

// Patch-through's configuration: all three Twilio settings or none, and never the fake in production.

const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://x@localhost/db',
  SESSION_SECRET: 'x'.repeat(40),
  PUBLIC_URL: 'https://writ.example.org',
  SMTP_URL: 'smtp://mail.example.org',
  STRIPE_SECRET_KEY: 'sk_live_x',
  STRIPE_WEBHOOK_SECRET: 'whsec_x',
}
const twilio = {
  TWILIO_ACCOUNT_SID: 'AC0123',
  TWILIO_AUTH_TOKEN: 'token',
  TWILIO_FROM_NUMBER: '+15005550006',
}

describe('Twilio configuration', () => {
  test('production accepts a real account and refuses the local fake', () => {
    expect(parseEnv({ ...production, ...twilio }).TWILIO_FROM_NUMBER).toBe('+15005550006')
    expect(() =>
      parseEnv({ ...production, ...twilio, TWILIO_API_BASE: 'http://127.0.0.1:4010' }),
    ).toThrow(/TWILIO_API_BASE: points at a fake Twilio, which production refuses/)
  })

  test('a partial configuration names what is missing', () => {
    expect(() =>
      parseEnv({ ...production, TWILIO_ACCOUNT_SID: 'AC0123', TWILIO_AUTH_TOKEN: 'token' }),
    ).toThrow(/TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER together/)
  })
})
