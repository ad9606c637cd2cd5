import http from 'node:http'
import { randomBytes } from 'node:crypto'
import twilio from 'twilio'

// A local stand-in for Twilio's Voice API: POST /2010-04-01/Accounts/:sid/Calls.json places a
// "call" that then plays out against Writ's own TwiML routes, calling back with real
// X-Twilio-Signature headers (the library's own signing), as Twilio would: it fetches the call's
// Url, follows <Redirect>, answers each <Dial> with the leg result the test chose (posting to the
// Dial's action), and at <Hangup/> (or the end of the TwiML) posts the status callback. Tests use
// it, and so does `npm start` without Twilio keys (server/start-local.ts: no phone rings; each
// office "answers" for 60 s). Never used in production: it refuses to start there, and
// app/utils/env.server.ts refuses TWILIO_API_BASE there.

export type FakeLeg = {
  status: 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled'
  duration: number
}

export type FakeCallRecord = {
  sid: string
  to: string
  from: string
  /** the numbers <Dial> connected, in order */
  dialed: string[]
  /** what Writ said (<Say>), in order */
  said: string[]
  /** every callback: URL and HTTP status Writ answered */
  callbacks: Array<{ url: string; status: number }>
  /** settles when the call has ended (status callback sent) */
  done: Promise<void>
}

export type FakeTwilio = {
  url: string
  accountSid: string
  authToken: string
  fromNumber: string
  calls: FakeCallRecord[]
  /** leg results for the next call's <Dial>s, in order (default: completed, 60 s each) */
  setLegs(legs: FakeLeg[]): void
  /** the next call waits to be answered until the returned function is called */
  holdNext(): () => void
  /** posts `params` to `url` signed with the account's token (or with `signature` if given) */
  callback(
    url: string,
    params: Record<string, string>,
    signature?: string | null,
  ): Promise<{ status: number; body: string }>
  close(): Promise<void>
}

const decode = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\b${name}="([^"]*)"`).exec(tag)
  return m ? decode(m[1]!) : undefined
}

type Verb =
  | { verb: 'Say'; text: string }
  | { verb: 'Redirect'; url: string }
  | { verb: 'Dial'; action: string | undefined; number: string }
  | { verb: 'Hangup' }

/** The verbs of a TwiML document, in order (only those Writ uses). */
export function parseTwiml(xml: string): Verb[] {
  const verbs: Verb[] = []
  const re = /<(Say|Redirect|Dial|Hangup)\b([^>]*?)(\/>|>([\s\S]*?)<\/\1>)/g
  for (const m of xml.matchAll(re)) {
    const [, name, attrs = '', , inner = ''] = m
    if (name === 'Say') verbs.push({ verb: 'Say', text: decode(inner) })
    else if (name === 'Redirect') verbs.push({ verb: 'Redirect', url: decode(inner.trim()) })
    else if (name === 'Hangup') verbs.push({ verb: 'Hangup' })
    else {
      const number = /<Number\b[^>]*>([^<]*)<\/Number>/.exec(inner)?.[1] ?? decode(inner.trim())
      verbs.push({ verb: 'Dial', action: attr(attrs, 'action'), number })
    }
  }
  return verbs
}

export async function startFakeTwilio(): Promise<FakeTwilio> {
  if (process.env.NODE_ENV === 'production') {
    throw new Error('The fake Twilio never runs with NODE_ENV=production')
  }
  const accountSid = `AC${randomBytes(16).toString('hex')}`
  const authToken = randomBytes(16).toString('hex')
  const fromNumber = '+15005550006'
  const calls: FakeCallRecord[] = []
  let legs: FakeLeg[] = []
  let gate: Promise<void> | null = null

  async function signedPost(
    url: string,
    params: Record<string, string>,
    signature?: string | null,
  ) {
    const sig =
      signature === undefined
        ? twilio.getExpectedTwilioSignature(authToken, url, params)
        : signature
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        ...(sig ? { 'X-Twilio-Signature': sig } : {}),
      },
      body: new URLSearchParams(params),
    })
    return { status: res.status, body: await res.text() }
  }

  async function play(
    record: FakeCallRecord,
    url: string,
    statusCallback: string | undefined,
    legPlan: FakeLeg[],
  ) {
    const base = { CallSid: record.sid, AccountSid: accountSid, From: record.from, To: record.to }
    let next: string | null = url
    let params: Record<string, string> = {
      ...base,
      CallStatus: 'in-progress',
      Direction: 'outbound-api',
    }
    let started = Date.now()
    let guard = 0
    try {
      outer: while (next && guard++ < 50) {
        const res = await signedPost(next, params)
        record.callbacks.push({ url: next, status: res.status })
        if (res.status !== 200) break
        next = null
        params = { ...base, CallStatus: 'in-progress' }
        for (const v of parseTwiml(res.body)) {
          if (v.verb === 'Say') record.said.push(v.text)
          else if (v.verb === 'Hangup') break outer
          else if (v.verb === 'Redirect') {
            next = v.url
            break
          } else if (v.verb === 'Dial') {
            record.dialed.push(v.number)
            const leg = legPlan.shift() ?? { status: 'completed', duration: 60 }
            if (!v.action) break outer
            next = v.action
            params = {
              ...base,
              CallStatus: 'in-progress',
              DialCallStatus: leg.status,
              DialCallDuration: String(leg.duration),
              DialCallSid: `CA${randomBytes(16).toString('hex')}`,
            }
            break
          }
        }
      }
    } finally {
      if (statusCallback) {
        const res = await signedPost(statusCallback, {
          ...base,
          CallStatus: 'completed',
          CallDuration: String(Math.max(1, Math.round((Date.now() - started) / 1000))),
        })
        record.callbacks.push({ url: statusCallback, status: res.status })
      }
      started = 0
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://fake').pathname
      const auth = req.headers.authorization ?? ''
      const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' })
        res.end(JSON.stringify(body))
      }
      if (auth !== expected) return send(401, { code: 20003, message: 'Authenticate', status: 401 })
      if (req.method !== 'POST' || path !== `/2010-04-01/Accounts/${accountSid}/Calls.json`) {
        return send(404, { code: 20404, message: 'Not found', status: 404 })
      }
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
      const to = form.get('To') ?? ''
      const url = form.get('Url')
      if (!/^\+1\d{10}$/.test(to) || !url) {
        return send(400, { code: 21201, message: 'Invalid To or Url', status: 400 })
      }
      const sid = `CA${randomBytes(16).toString('hex')}`
      let resolveDone!: () => void
      const record: FakeCallRecord = {
        sid,
        to,
        from: form.get('From') ?? '',
        dialed: [],
        said: [],
        callbacks: [],
        done: new Promise<void>((r) => (resolveDone = r)),
      }
      calls.push(record)
      const plan = legs
      legs = []
      const held = gate ?? Promise.resolve()
      gate = null
      send(201, {
        sid,
        account_sid: accountSid,
        to,
        from: record.from,
        status: 'queued',
        direction: 'outbound-api',
        uri: `/2010-04-01/Accounts/${accountSid}/Calls/${sid}.json`,
      })
      // The call plays out after the API has answered, as Twilio's does.
      void held
        .then(() => play(record, url, form.get('StatusCallback') ?? undefined, plan))
        .catch(() => {})
        .finally(resolveDone)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    fromNumber,
    calls,
    setLegs(next) {
      legs = [...next]
    },
    holdNext() {
      let release!: () => void
      gate = new Promise<void>((r) => (release = r))
      return release
    },
    callback: signedPost,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
