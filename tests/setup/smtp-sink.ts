import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer, type SMTPServerOptions } from 'smtp-server'

export type SinkMode = 'accept' | 'tempfail' | 'permfail'

export type CapturedMail = {
  from: string
  to: string[]
  subject: string
  text: string
  html: string
  messageId: string
  headers: Record<string, string>
  /** attached files, decoded as UTF-8 text */
  attachments: Array<{ filename: string; contentType: string; content: string }>
  receivedAt: number
}

export type SmtpSink = {
  port: number
  url: string
  messages: CapturedMail[]
  setMode(mode: SinkMode): void
  /**
   * Holds the next message at MAIL FROM until `release`, which answers it as `mode` would. For
   * a sender that is slow mid-send (its lease can run out meanwhile); later messages go on.
   */
  holdNext(): { reached: Promise<void>; release(mode: SinkMode): void }
  waitFor(predicate: (m: CapturedMail) => boolean, timeoutMs?: number): Promise<CapturedMail>
  close(): Promise<void>
}

function flattenHeaders(mail: ParsedMail): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of mail.headerLines) {
    const value = line.line.slice(line.line.indexOf(':') + 1).trim()
    out[line.key] = value
  }
  return out
}

/** A real SMTP server on loopback that keeps what it receives. Tests switch it to refuse mail. */
export async function startSmtpSink({ port = 0 }: { port?: number } = {}): Promise<SmtpSink> {
  const messages: CapturedMail[] = []
  let mode: SinkMode = 'accept'
  const waiters = new Set<() => void>()
  let held: { reached: () => void; released: Promise<SinkMode> } | undefined
  const refusal = (as: SinkMode) => {
    if (as === 'tempfail') {
      const err = new Error('Service temporarily unavailable') as Error & { responseCode: number }
      err.responseCode = 421
      return err
    }
    if (as === 'permfail') {
      const err = new Error('Mailbox unavailable') as Error & { responseCode: number }
      err.responseCode = 550
      return err
    }
    return null
  }
  const options: SMTPServerOptions = {
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    logger: false,
    size: 25 * 1024 * 1024,
    onMailFrom(_address, _session, callback) {
      const hold = held
      if (hold) {
        held = undefined
        hold.reached()
        void hold.released.then((as) => callback(refusal(as) ?? undefined))
        return
      }
      callback(refusal(mode) ?? undefined)
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
            messageId: mail.messageId ?? '',
            headers: flattenHeaders(mail),
            attachments: mail.attachments.map((a) => ({
              filename: a.filename ?? '',
              contentType: a.contentType,
              content: a.content.toString('utf8'),
            })),
            receivedAt: Date.now(),
          })
          for (const w of waiters) w()
          callback()
        })
        .catch(callback)
    },
  }
  const server = new SMTPServer(options)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  const address = server.server.address()
  const actualPort = typeof address === 'object' && address ? address.port : port
  return {
    port: actualPort,
    url: `smtp://127.0.0.1:${actualPort}`,
    messages,
    setMode(next) {
      mode = next
    },
    holdNext() {
      let reached!: () => void
      let release!: (as: SinkMode) => void
      const reachedPromise = new Promise<void>((resolve) => (reached = resolve))
      const released = new Promise<SinkMode>((resolve) => (release = resolve))
      held = { reached, released }
      return { reached: reachedPromise, release }
    },
    waitFor(predicate, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(predicate)
          if (found) {
            clearTimeout(timer)
            waiters.delete(check)
            resolve(found)
          }
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(
            new Error(`No matching email within ${timeoutMs} ms (${messages.length} received)`),
          )
        }, timeoutMs)
        waiters.add(check)
        check()
      })
    },
    close() {
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}
