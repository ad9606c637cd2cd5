import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { expect, test } from '@playwright/test'
import postgres from 'postgres'
import { LETTER_FORM_LABELS } from './letter-form-labels'

// The newcomer's local run, for real: `npm start`'s entrypoint (server/start-local.ts) on free
// ports over a fresh, empty database on the harness's Postgres server, with its own local inbox
// (ADR 0801). Nothing of the harness is used but that server.

const INSPECTOR = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3900) + 1}`
const ROOT = path.resolve(import.meta.dirname, '..', '..')

type InboxEmail = {
  subject: string
  text: string
  to: Array<{ address: string }>
}

let child: ChildProcess | undefined
let output = ''
let sql: postgres.Sql | undefined
let admin: postgres.Sql | undefined
let dbName = ''
let mailDir = ''
let appUrl = ''
let inboxUrl = ''

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

async function inboxFor(address: string): Promise<InboxEmail[]> {
  const list = (await (await fetch(`${inboxUrl}/api/email`)).json()) as InboxEmail[]
  return list.filter((m) => m.to.some((t) => t.address.toLowerCase() === address.toLowerCase()))
}

test.beforeAll(async () => {
  test.setTimeout(240_000)
  const { url } = (await (await fetch(`${INSPECTOR}/database`)).json()) as { url: string }
  const adminUrl = new URL(url)
  adminUrl.pathname = '/postgres'
  admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} })
  dbName = `writ_local_${randomBytes(6).toString('hex')}`
  await admin`create database ${admin(dbName)}`
  const dbUrl = new URL(url)
  dbUrl.pathname = `/${dbName}`
  sql = postgres(dbUrl.toString(), { max: 1, onnotice: () => {} })
  mailDir = fs.mkdtempSync(path.join(os.tmpdir(), 'writ-local-inbox-'))

  const port = await freePort()
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: dbUrl.toString(),
    PORT: String(port),
    PUBLIC_URL: `http://localhost:${port}`,
    LOCAL_INBOX_SMTP_PORT: '0',
    LOCAL_INBOX_WEB_PORT: '0',
    LOCAL_INBOX_DIR: mailDir,
    LOG_REQUESTS: 'false',
  }
  for (const name of [
    'NODE_ENV',
    'SMTP_URL',
    'STRIPE_SECRET_KEY',
    'STRIPE_API_BASE',
    'TWILIO_ACCOUNT_SID',
    'TWILIO_AUTH_TOKEN',
    'TWILIO_FROM_NUMBER',
    'TWILIO_API_BASE',
  ]) {
    delete env[name]
  }
  child = spawn(process.execPath, ['--import', 'tsx', 'server/start-local.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()))
  await expect
    .poll(() => output, { timeout: 180_000, intervals: [500] })
    .toMatch(/^Local inbox: \S+$/m)
  expect(output.match(/^Local inbox: /gm)).toHaveLength(1)
  inboxUrl = /^Local inbox: (\S+)$/m.exec(output)![1]!
  appUrl = /Writ is running at (\S+)/.exec(output)![1]!
})

test.afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r))
    child.kill('SIGINT')
    await exited
  }
  await sql?.end()
  if (admin && dbName) await admin`drop database if exists ${admin(dbName)} with (force)`
  await admin?.end()
  if (mailDir) fs.rmSync(mailDir, { recursive: true, force: true })
})

test('npm start: the confirmation email is in the local inbox within 10 s, and its link confirms', async ({
  page,
}) => {
  const email = `local-inbox-${Date.now()}@example.org`
  await page.goto(`${appUrl}/c/stop-red-notice-detentions`)
  await page.getByLabel('First name', { exact: true }).fill('Lena')
  await page.getByLabel('Last name', { exact: true }).fill('Okafor')
  await page.getByLabel('Email', { exact: true }).fill(email)
  await page.getByLabel('ZIP code', { exact: true }).fill('82001')
  await page.getByRole('button', { name: 'Sign now' }).click()
  await expect(page).toHaveURL(/\/thanks\?signed=1/)
  const signedAt = Date.now()

  await expect
    .poll(async () => (await inboxFor(email)).length, { timeout: 10_000, intervals: [250] })
    .toBeGreaterThan(0)
  expect(Date.now() - signedAt).toBeLessThan(10_000)
  const [mail] = await inboxFor(email)
  expect(mail!.subject).toMatch(/^Confirm your signature: /)
  const link = /https?:\/\/\S+\/confirm\/[A-Za-z0-9_-]{43}/.exec(mail!.text)?.[0]
  expect(link, mail!.text).toBeTruthy()

  await page.goto(link!)
  await page.getByRole('button', { name: 'Confirm my signature' }).click()
  await expect(
    page.getByRole('heading', { level: 1, name: 'Your signature is confirmed' }),
  ).toBeVisible()
  const [row] = await sql!<{ confirmed: boolean }[]>`
    select s.confirmed_at is not null as confirmed
    from signatures s join supporters p on p.id = s.supporter_id
    where p.email = ${email}`
  expect(row?.confirmed).toBe(true)
})

test('npm start: a letter to a custom email target ends delivered, with the inbox SMTP reply', async ({
  page,
}) => {
  const l = LETTER_FORM_LABELS.en
  const email = `local-letter-${Date.now()}@example.org`
  await page.goto(`${appUrl}/c/write-congress-red-notices`)
  await page.getByLabel(l.prefix, { exact: true }).selectOption('Ms.')
  await page.getByLabel(l.first, { exact: true }).fill('Rosa')
  await page.getByLabel(l.last, { exact: true }).fill('Delgado')
  await page.getByLabel(l.email, { exact: true }).fill(email)
  await page.getByLabel(l.street, { exact: true }).fill('200 W 24th St')
  await page.getByLabel(l.city, { exact: true }).fill('Cheyenne')
  await page.getByLabel(l.state, { exact: true }).selectOption('WY')
  await page.getByLabel(l.zip, { exact: true }).fill('82001')
  await page.getByRole('button', { name: l.find }).click()
  await page.getByRole('button', { name: l.send }).click()
  await expect(page).toHaveURL(/\/sent\//)

  const delivered = async () => {
    const [row] = await sql!<{ status: string; smtpResponse: string | null }[]>`
      select d.status, d.evidence->>'smtpResponse' as "smtpResponse"
      from deliveries d
      join letters l on l.id = d.letter_id
      join supporters p on p.id = l.supporter_id
      where p.email = ${email} and d.channel = 'email'`
    return row
  }
  await expect.poll(delivered, { timeout: 30_000, intervals: [500] }).toMatchObject({
    status: 'delivered',
    smtpResponse: expect.stringMatching(/^250 /),
  })
  await expect
    .poll(async () => (await inboxFor('dhs-secretary@demo.writ.example')).length, {
      timeout: 10_000,
    })
    .toBeGreaterThan(0)
})

test('npm start without Twilio keys: "Call me" runs against the local fake Twilio and logs each office', async ({
  page,
}) => {
  expect(output).toMatch(/No TWILIO_ACCOUNT_SID: "Call me" uses the local fake Twilio/)
  const email = `local-caller-${Date.now()}@example.org`
  await page.goto(`${appUrl}/c/call-congress-red-notices`)
  await page.getByLabel('First name', { exact: true }).fill('Rosa')
  await page.getByLabel('Last name', { exact: true }).fill('Delgado')
  await page.getByLabel('Email', { exact: true }).fill(email)
  await page.getByLabel('City', { exact: true }).fill('Cheyenne')
  await page.getByLabel('ZIP code', { exact: true }).fill('82001')
  await page.getByRole('button', { name: 'Show me who to call' }).click()
  await expect(page.locator('li.call-office')).toHaveCount(3)
  await page.getByLabel('Your phone number', { exact: true }).fill('307-555-0142')
  await page.getByRole('button', { name: 'Call me', exact: true }).click()
  await expect(page.getByText("We're calling you now.", { exact: false })).toBeVisible()

  // the fake plays the call out against Writ's TwiML routes with signed callbacks: one leg per
  // office, then the status callback ends the session and deletes the number
  const session = async () => {
    const [row] = await sql!<{ status: string; phone: string | null; patched: number }[]>`
      select s.status, s.phone,
        (select count(*)::int from call_logs c where c.visit_id = s.visit_id and c.via = 'patch')
          as patched
      from call_sessions s join call_visits v on v.id = s.visit_id
      order by s.created_at desc limit 1`
    return row
  }
  await expect
    .poll(session, { timeout: 30_000, intervals: [500] })
    .toEqual({ status: 'ended', phone: null, patched: 3 })
})
