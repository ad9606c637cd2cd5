// `npm start`: the local all-in-one run. Not the deployment entrypoint (that is `npm run serve`).
// With no DATABASE_URL it starts embedded Postgres under .data/pg; then it migrates, seeds the
// demo campaigns (idempotent) and serves the production build on PORT. Without Stripe keys,
// Twilio keys or SMTP_URL it runs the local fake Stripe, the local fake Twilio and the local inbox
// (a mail catcher with a web page).
import { resetEnv } from '#app/utils/env.server'
import type { FakeStripe } from './fakes/stripe'
import type { FakeTwilio } from './fakes/twilio'
import type { LocalInbox } from './local-inbox'
import path from 'node:path'
import { startEmbeddedPostgres, type EmbeddedHandle } from './embedded-postgres'

// WRIT_DATA_DIR: another home for .data (the bench's start-up step uses a throw-away one).
const dataDir = process.env.WRIT_DATA_DIR || '.data'
let embedded: EmbeddedHandle | undefined
if (!process.env.DATABASE_URL) {
  embedded = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pg'), database: 'writ' })
  process.env.DATABASE_URL = embedded.url('writ')
  console.log(`Using embedded Postgres (data in ${path.join(dataDir, 'pg')}).`)
} else {
  console.log('Using the Postgres server at DATABASE_URL.')
}
process.env.NODE_ENV ??= 'production'
if (process.env.NODE_ENV === 'production') {
  // npm start is local: it may use local fakes, so it does not claim to be a deployment.
  process.env.NODE_ENV = 'development'
}
// No Stripe keys: donations run against the local fake Stripe (test mode, no real money), and the
// donation pages say so. A deployment (`npm run serve`, NODE_ENV=production) refuses the fake.
let fakeStripe: FakeStripe | undefined
if (!process.env.STRIPE_SECRET_KEY) {
  const { startFakeStripe } = await import('./fakes/stripe')
  fakeStripe = await startFakeStripe()
  Object.assign(process.env, {
    STRIPE_API_BASE: fakeStripe.url,
    STRIPE_SECRET_KEY: fakeStripe.secretKey,
    STRIPE_WEBHOOK_SECRET: fakeStripe.webhookSecret,
  })
  console.log(`No STRIPE_SECRET_KEY: donations use the local fake Stripe at ${fakeStripe.url}.`)
  console.log('Test mode — no real money is charged.')
}
// No Twilio keys: "Call me" (patch-through) runs against the local fake Twilio, which plays each
// call out against Writ's own TwiML routes with real signatures; no phone rings (ADR 1201).
let fakeTwilio: FakeTwilio | undefined
if (!process.env.TWILIO_ACCOUNT_SID) {
  const { startFakeTwilio } = await import('./fakes/twilio')
  fakeTwilio = await startFakeTwilio()
  Object.assign(process.env, {
    TWILIO_API_BASE: fakeTwilio.url,
    TWILIO_ACCOUNT_SID: fakeTwilio.accountSid,
    TWILIO_AUTH_TOKEN: fakeTwilio.authToken,
    TWILIO_FROM_NUMBER: fakeTwilio.fromNumber,
  })
  console.log(`No TWILIO_ACCOUNT_SID: "Call me" uses the local fake Twilio at ${fakeTwilio.url}.`)
  console.log('Test mode — no phone rings; each office "answers" for a minute.')
}
// No SMTP_URL: mail goes to the local inbox, over SMTP like production (ADR 0801).
let inbox: LocalInbox | undefined
if (!process.env.SMTP_URL) {
  const { startLocalInbox } = await import('./local-inbox')
  inbox = await startLocalInbox({
    smtpPort: portSetting('LOCAL_INBOX_SMTP_PORT', 1025),
    webPort: portSetting('LOCAL_INBOX_WEB_PORT', 1080),
    mailDir: process.env.LOCAL_INBOX_DIR || path.resolve(dataDir, 'mail'),
  })
  process.env.SMTP_URL = inbox.smtpUrl
}
resetEnv()

const { prepareDatabase, seedDemoOrganizerForLocalRun } = await import('./prepare')
const { runServer, closeOnSignals } = await import('./run')
const { getEnv } = await import('#app/utils/env.server')

try {
  getEnv()
  await prepareDatabase({ seed: true })
  // The demo owner's password is published: only a throw-away embedded database gets it.
  const demo = embedded ? await seedDemoOrganizerForLocalRun() : null
  const server = await runServer()
  if (fakeStripe) fakeStripe.webhookUrl = `http://127.0.0.1:${server.port}/webhooks/stripe`
  closeOnSignals(server, async () => {
    await fakeStripe?.close()
    await fakeTwilio?.close()
    await inbox?.close()
    await embedded?.stop()
  })
  const base = `${getEnv().PUBLIC_URL.replace(/:\d+$/, '')}:${server.port}`
  console.log(`\nWrit is running at ${base}\n`)
  console.log(`Organizer workspace: ${base}/admin/login`)
  if (demo) console.log(`  demo owner (development only): ${demo.email} / ${demo.password}\n`)
  else console.log('  create an owner with `npm run organizer:create -- --email … --role owner`\n')
  if (inbox) console.log(`Local inbox: ${inbox.webUrl}\n`)
} catch (error) {
  console.error((error as Error).message)
  await fakeStripe?.close()
  await fakeTwilio?.close()
  await inbox?.close()
  await embedded?.stop()
  process.exit(1)
}

/** A port from the environment (tests pick free ones), or the usual one. */
function portSetting(name: string, fallback: number): number {
  const value = process.env[name]
  return value ? Number(value) : fallback
}
