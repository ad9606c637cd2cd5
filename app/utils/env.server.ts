import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import { isIP } from 'node:net'
import path from 'node:path'
import { z } from 'zod'

// The one place that reads process.env. Everything else calls getEnv().
// See docs/decisions/0003-configuration.md.

const url = z.string().url()
const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), url.optional())
const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional())

/** false, a hop count, or the trusted proxies' addresses/CIDRs, as Express's `trust proxy` takes. */
export type TrustProxy = false | number | string[]

function isProxyAddress(entry: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true
  const [address, prefix, ...rest] = entry.split('/')
  const family = isIP(address)
  if (!family || rest.length) return false
  if (prefix === undefined) return true
  if (!/^\d{1,3}$/.test(prefix)) return false
  return Number(prefix) <= (family === 4 ? 32 : 128)
}

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
  ),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: optionalUrl,
  SESSION_SECRET: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().min(32, 'must be at least 32 characters').optional(),
  ),
  // The secret before a rotation: links and tokens signed under it keep working while it is set
  // (app/utils/keys.server.ts). Remove it once the old links no longer matter.
  SESSION_SECRET_PREVIOUS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().min(32, 'must be at least 32 characters').optional(),
  ),
  SMTP_URL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional(),
  ),
  MAIL_FROM: z.string().default('Writ <no-reply@writ.localhost>'),
  DKIM_DOMAIN: optionalString,
  DKIM_SELECTOR: optionalString,
  DKIM_PRIVATE_KEY: optionalString,
  /** List mail (mailings, follow-ups) released into the outbox per minute (ADR 1100). */
  MAIL_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  ORG_NAME: z.string().default('Writ'),
  ORG_POSTAL_ADDRESS: z.string().default('Writ, 1 Example Street, Washington, DC 20001'),
  /** Where supporters send privacy requests (shown on /privacy). */
  PRIVACY_EMAIL: z.preprocess((v) => (v === '' ? undefined : v), z.string().email().optional()),
  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  STRIPE_API_BASE: optionalUrl,
  // Patch-through calls (call campaigns): all three, or none (tel: links only).
  TWILIO_ACCOUNT_SID: optionalString,
  TWILIO_AUTH_TOKEN: optionalString,
  TWILIO_FROM_NUMBER: optionalString,
  /** points the Twilio client at a local fake (server/fakes/twilio.ts); refused in production */
  TWILIO_API_BASE: optionalUrl,
  CWC_API_KEY: optionalString,
  CWC_BASE_URL: z.string().url().default('https://test-cwc.house.gov/'),
  // Senate offices take CWC only where the Senate has enabled it for the vendor.
  CWC_SENATE_ENABLED: z.enum(['true', 'false']).default('false'),
  // The delivery agent's identity in every CWC message (the vendor that posts it).
  CWC_DELIVERY_AGENT: z.string().min(1).default('Writ'),
  CWC_DELIVERY_AGENT_ACK_EMAIL: z.string().email().default('cwc-ack@writ.localhost'),
  CWC_DELIVERY_AGENT_CONTACT_NAME: z.string().min(1).default('Writ delivery desk'),
  CWC_DELIVERY_AGENT_CONTACT_EMAIL: z.string().email().default('cwc@writ.localhost'),
  CWC_DELIVERY_AGENT_CONTACT_PHONE: z
    .string()
    .regex(/^[0-9]{3}-[0-9]{3}-[0-9]{4}$/, 'must look like 202-555-0100')
    .default('202-555-0100'),
  /** The organization named in CWC messages; defaults to ORG_NAME. */
  CWC_ORGANIZATION: optionalString,
  /** A delivery that keeps failing temporarily is given up (failed) after this many hours. */
  DELIVERY_GIVE_UP_HOURS: z.coerce
    .number()
    .min(0.01)
    .max(24 * 30)
    .default(72),
  // Supporter data retention (docs/decisions/0502-privacy-erasure.md): street addresses and letter
  // texts this many days after a letter's last delivery is final; sent mail's bodies and links.
  RETENTION_ADDRESS_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  RETENTION_MAIL_DAYS: z.coerce.number().int().min(0).max(3650).default(7),
  GEOCODER_URL: z.string().url().default('https://geocoding.geo.census.gov/geocoder/'),
  REFERENCE_DATA_DIR: optionalString,
  RUN_WORKER: z.enum(['true', 'false']).default('true'),
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  /** The V8 old-space limit of each web process that `npm run serve` forks (ADR 1303); 0: V8's. */
  WEB_HEAP_MB: z.coerce
    .number()
    .int()
    .refine((n) => n === 0 || n >= 96, 'WEB_HEAP_MB must be 0 (V8 decides) or at least 96')
    .default(256),
  /**
   * How far (%) a forked web process's old space may grow past what its last full collection
   * kept before the next one (V8's --heap-growing-percent; ADR 1308); 0: V8's own factor.
   */
  WEB_HEAP_GROWING_PERCENT: z.coerce.number().int().min(0).max(400).default(150),
  // performance knobs (docs/decisions/0700-performance-and-resilience.md)
  READ_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  PAGE_VIEW_FLUSH_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  LOG_REQUESTS: z.enum(['true', 'false']).default('true'),
  // Which X-Forwarded-For entries to believe (docs/deploy.md): a hop count, or the proxies' own
  // addresses or CIDRs. `true` would believe the left-most entry, which the client writes.
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v, ctx): TrustProxy => {
      const value = v.trim()
      if (value === '' || value === 'false' || value === '0') return false
      if (/^\d+$/.test(value)) return Number(value)
      if (value === 'true') {
        ctx.addIssue({
          code: 'custom',
          message:
            "`true` would trust the client-written left-most X-Forwarded-For entry; set the hop count (1 behind one proxy) or a comma-separated list of the proxies' addresses or CIDRs",
        })
        return z.NEVER
      }
      const entries = value.split(',').map((e) => e.trim())
      const bad = entries.filter((e) => !isProxyAddress(e))
      if (bad.length) {
        ctx.addIssue({
          code: 'custom',
          message: `expected a hop count or a comma-separated list of addresses or CIDRs; not: ${bad.join(', ')}`,
        })
        return z.NEVER
      }
      return entries
    }),
  // JSON: { "sign": { "ip": [{ "windowSeconds": 60, "max": 60 }], "email": [...] }, ... }
  RATE_LIMITS: z.preprocess(
    (v) => {
      if (typeof v !== 'string' || !v) return undefined
      try {
        return JSON.parse(v)
      } catch {
        return v // reported below as not an object
      }
    },
    z
      .record(
        z.string(),
        z.object({
          ip: z.array(
            z.object({
              windowSeconds: z.number().int().positive(),
              max: z.number().int().positive(),
            }),
          ),
          email: z
            .array(
              z.object({
                windowSeconds: z.number().int().positive(),
                max: z.number().int().positive(),
              }),
            )
            .optional(),
        }),
      )
      .optional(),
  ),
  // Comma-separated client IPs that skip rate limits (a load test on loopback, a trusted kiosk).
  RATE_LIMIT_ALLOW_IPS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  TURNSTILE_SECRET_KEY: optionalString,
  TURNSTILE_SITE_KEY: optionalString,
  TURNSTILE_VERIFY_URL: z
    .string()
    .url()
    .default('https://challenges.cloudflare.com/turnstile/v0/siteverify'),
  /** Public forms submitted sooner than this after the page was served are refused (0: off). */
  // unset: 2000 in production, 0 locally (scripted local checks POST right after the GET)
  MIN_FORM_FILL_MS: z.coerce.number().int().min(0).max(60_000).optional(),
  /** More signatures than this from one IP within FLAG_IP_WINDOW_SECONDS are held for review. */
  FLAG_IP_SIGNATURES: z.coerce.number().int().min(1).default(20),
  FLAG_IP_WINDOW_SECONDS: z.coerce.number().int().min(1).default(600),
  /** Whether owners and organizers with PII access must use TOTP. Unset: required in production. */
  ORGANIZER_2FA: z.enum(['required', 'optional']).optional(),
  /** Lets webhook endpoints point at loopback and private addresses (tests, local receivers). */
  WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false', ''])
    .default('false')
    .transform((v) => v === 'true'),
  /**
   * Seconds to wait before each retry of a failed webhook, comma-separated; when they run out the
   * endpoint is disabled. The default (Standard Webhooks' shape) spans about 24 hours.
   */
  WEBHOOK_RETRY_SCHEDULE: z
    .string()
    .default('5,300,1800,7200,18000,28800,28800')
    .refine((v) => /^\s*\d+(\s*,\s*\d+)*\s*$/.test(v), 'must be comma-separated seconds')
    .transform((v) => v.split(',').map((n) => Number(n.trim()))),
})

export type Env = Omit<z.infer<typeof schema>, 'MIN_FORM_FILL_MS' | 'ORGANIZER_2FA'> & {
  MIN_FORM_FILL_MS: number
  ORGANIZER_2FA: 'required' | 'optional'
  SESSION_SECRET: string
  PUBLIC_URL: string
  DATABASE_URL: string
}

export class EnvError extends Error {
  name = 'EnvError'
}

let cached: Env | undefined

/** Parses process.env once. Throws an EnvError that names each bad variable. */
export function getEnv(): Env {
  if (cached) return cached
  cached = parseEnv(process.env)
  return cached
}

/** For tests and boot code that change process.env before the app reads it. */
export function resetEnv() {
  cached = undefined
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source)
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new EnvError(`Invalid environment:\n${lines.join('\n')}`)
  }
  const env = result.data
  const production = env.NODE_ENV === 'production'
  const problems: string[] = []
  if (production) {
    for (const name of [
      'DATABASE_URL',
      'SESSION_SECRET',
      'PUBLIC_URL',
      'SMTP_URL',
      'STRIPE_SECRET_KEY',
      'STRIPE_WEBHOOK_SECRET',
    ] as const) {
      if (!env[name]) problems.push(`  ${name}: is required when NODE_ENV=production`)
    }
    if (env.CWC_API_KEY) {
      for (const name of [
        'CWC_DELIVERY_AGENT_ACK_EMAIL',
        'CWC_DELIVERY_AGENT_CONTACT_EMAIL',
      ] as const) {
        if (env[name].endsWith('.localhost')) {
          problems.push(`  ${name}: must be a real address when CWC_API_KEY is set in production`)
        }
      }
    }
    // Local fakes never run in production.
    if (env.STRIPE_API_BASE) {
      problems.push('  STRIPE_API_BASE: points at a fake Stripe, which production refuses')
    }
    if (env.WEBHOOK_ALLOW_PRIVATE) {
      problems.push(
        '  WEBHOOK_ALLOW_PRIVATE: lets webhooks reach private addresses, which production refuses',
      )
    }
    if (env.TWILIO_API_BASE) {
      problems.push('  TWILIO_API_BASE: points at a fake Twilio, which production refuses')
    }
  }
  const twilio = [env.TWILIO_ACCOUNT_SID, env.TWILIO_AUTH_TOKEN, env.TWILIO_FROM_NUMBER]
  if (twilio.some(Boolean) && !twilio.every(Boolean)) {
    problems.push(
      '  TWILIO_ACCOUNT_SID: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER together',
    )
  }
  if (!env.DATABASE_URL && !production) {
    problems.push('  DATABASE_URL: is not set (npm start sets it when it starts embedded Postgres)')
  }
  if (problems.length) throw new EnvError(`Invalid environment:\n${problems.join('\n')}`)

  return {
    ...env,
    MIN_FORM_FILL_MS: env.MIN_FORM_FILL_MS ?? (production ? 2000 : 0),
    ORGANIZER_2FA: env.ORGANIZER_2FA ?? (production ? 'required' : 'optional'),
    DATABASE_URL: env.DATABASE_URL!,
    PUBLIC_URL: env.PUBLIC_URL ?? `http://localhost:${env.PORT}`,
    SESSION_SECRET: env.SESSION_SECRET ?? devSecret('SESSION_SECRET'),
  }
}

/** A random secret kept in .data/ so that development sessions survive a restart. */
function devSecret(name: string): string {
  const file = path.resolve('.data', 'dev-secrets.json')
  let secrets: Record<string, string> = {}
  try {
    secrets = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch {
    // first run: no file yet
  }
  if (!secrets[name]) {
    secrets[name] = randomBytes(32).toString('hex')
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true })
      fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 })
    } catch {
      // a read-only checkout still runs, with a secret that lasts this process only
    }
  }
  return secrets[name]
}

/** What the browser may see. Chosen field by field. */
export function getPublicEnv() {
  const env = getEnv()
  return {
    PUBLIC_URL: env.PUBLIC_URL,
    STRIPE_TEST_MODE: !env.STRIPE_SECRET_KEY || Boolean(env.STRIPE_API_BASE),
    TURNSTILE_SITE_KEY: env.TURNSTILE_SITE_KEY,
  }
}
export type PublicEnv = ReturnType<typeof getPublicEnv>
