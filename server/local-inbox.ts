// The local run's mail catcher (ADR 0801): a real SMTP server with a web inbox (maildev), so that
// `npm start` sends every email through the same nodemailer → SMTP path as production and a
// newcomer can read it. Never part of a deployment: it refuses to start there, and only
// server/start-local.ts imports it (dynamically, so `npm run serve` never loads maildev).
import net from 'node:net'
import path from 'node:path'
import type { MailDev } from 'maildev'

export type LocalInbox = {
  /** What SMTP_URL is set to. */
  smtpUrl: string
  /** The web inbox; its REST API is under /api (GET /api/email lists every message). */
  webUrl: string
  close(): Promise<void>
}

export type LocalInboxOptions = {
  /** Preferred ports; a taken one falls back to any free port. 0: any free port. */
  smtpPort?: number
  webPort?: number
  /** Where messages are kept as .eml files, so they survive a restart. */
  mailDir?: string
}

export async function startLocalInbox({
  smtpPort = 1025,
  webPort = 1080,
  mailDir = path.resolve('.data', 'mail'),
}: LocalInboxOptions = {}): Promise<LocalInbox> {
  if (process.env.NODE_ENV === 'production') {
    throw new Error('The local inbox never runs with NODE_ENV=production')
  }
  const host = '127.0.0.1'
  const [smtp, web] = [await freeOr(smtpPort, host), await freeOr(webPort, host)]
  const { MailDev: MailDevServer } = await import('maildev')
  const maildev: MailDev = new MailDevServer({
    smtp,
    ip: host,
    web,
    webIp: host,
    mailDirectory: mailDir,
    // bounded: a long-lived .data/ would otherwise keep every message of every run
    maxEmails: 500,
    silent: true,
  })
  // maildev announces its API with console.info on every start; npm start prints its own line.
  const info = console.info
  console.info = () => {}
  let servers: Awaited<ReturnType<MailDev['start']>>
  try {
    servers = await maildev.start()
  } finally {
    console.info = info
  }
  const smtpAddress = servers.smtp.getAddress()
  const webAddress = servers.api?.getAddress()
  if (!webAddress) throw new Error('the local inbox started without its web server')
  return {
    smtpUrl: `smtp://${host}:${smtpAddress.port}`,
    webUrl: `http://${host}:${webAddress.port}`,
    close: () => maildev.stop(),
  }
}

/** `port` when it is free on `host`, otherwise 0 (the system picks a free one). */
async function freeOr(port: number, host: string): Promise<number> {
  if (port === 0) return 0
  return new Promise((resolve) => {
    const probe = net.createServer()
    probe.once('error', () => resolve(0))
    probe.listen(port, host, () => probe.close(() => resolve(port)))
  })
}
