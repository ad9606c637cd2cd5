import { createHash, randomUUID } from 'node:crypto'
import nodemailer, { type Transporter, type TransportOptions } from 'nodemailer'
import MimeNode from 'nodemailer/lib/mime-node'
import type { TFunction } from 'i18next'
import type { z } from 'zod'
import { normalizeEmailForLimits } from '#app/utils/email-address'
import { getEnv } from '#app/utils/env.server'
import { hmac } from '#app/utils/keys.server'
import type { Sql } from '#db/client'
import {
  claimDueEmails,
  enqueueEmail,
  listFailedEmails,
  markEmailFailed,
  markEmailLocal,
  markEmailSent,
  markAddressHardBounced,
  markEmailSuppressed,
  type EmailKind,
  type FailedEmail,
  type OutboxEmail,
} from '#db/queries/mail'
import { renderEmail, type EmailTemplate } from '#emails/render'
import { encodeQuotedPrintable } from './quoted-printable'

// One mail module for the whole app. Every email is first written to outbound_emails (in the
// caller's transaction), then sent by the worker: over SMTP when SMTP_URL is set, otherwise it
// stays in Postgres as the local outbox that organizers read in the dashboard.

export type { EmailKind }

export type QueuedEmail = {
  kind: EmailKind
  template: string
  to: string
  subject: string
  html: string
  text: string
  /** MAIL_FROM unless given (a letter goes "from" its sender via the organization). */
  from?: string
  replyTo?: string | null
  headers?: Record<string, string>
  supporterId?: string | null
  status?: OutboxEmail['status']
} & (
  | {
      /** Identifies this message across retries: the same key yields the same Message-ID. */
      idempotencyKey: string
    }
  | { messageId: string }
)

/** The domain of our Message-IDs: `<first 32 hex of sha256(idempotency key)@domain>`. */
export function messageIdDomain(): string {
  return new URL(getEnv().PUBLIC_URL).hostname || 'writ.localhost'
}

export function messageIdFor(idempotencyKey: string): string {
  const digest = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)
  return `<${digest}@${messageIdDomain()}>`
}

/**
 * Mail that anyone can make Writ send to an address by typing it into a public form: a mailbox gets
 * at most RECIPIENT_DAILY_CAP of these in 24 hours, across all campaigns (ADR 0813). Receipts
 * (letters, donations), letters to offices, list mail and organizers' password resets are not
 * counted: a cap on resets would let a stranger lock an owner out of their account.
 */
export const RECIPIENT_CAPPED_TEMPLATES: ReadonlySet<string> = new Set([
  'confirm-signature',
  'donation-manage-link',
])
export const RECIPIENT_DAILY_CAP = 5

/** The mailbox an address reaches (normalized as the limits normalize it), as a keyed hash. */
export function mailRecipientKey(address: string): string {
  return hmac('mail-recipient', normalizeEmailForLimits(address)).toString('base64url').slice(0, 22)
}

/** The outbox row for an email: the one place its Message-ID, defaults and cap are decided. */
export function outboxEmail(email: QueuedEmail): OutboxEmail {
  return {
    kind: email.kind,
    template: email.template,
    toAddress: email.to,
    fromAddress: email.from ?? getEnv().MAIL_FROM,
    replyTo: email.replyTo ?? null,
    subject: email.subject,
    html: email.html,
    textBody: email.text,
    headers: email.headers ?? {},
    messageId: 'messageId' in email ? email.messageId : messageIdFor(email.idempotencyKey),
    supporterId: email.supporterId ?? null,
    status: email.status ?? 'queued',
    dailyCap: RECIPIENT_CAPPED_TEMPLATES.has(email.template)
      ? { key: mailRecipientKey(email.to), max: RECIPIENT_DAILY_CAP }
      : null,
  }
}

/** Queues an email. Queuing the same idempotencyKey twice queues it once. */
export async function queueEmail(sql: Sql, email: QueuedEmail): Promise<{ messageId: string }> {
  const row = outboxEmail(email)
  await enqueueEmail(sql, row)
  return { messageId: row.messageId }
}

/** Renders a template in the recipient's language (`i18n`) and queues it. */
export async function queueTemplateEmail<S extends z.ZodType>(
  sql: Sql,
  template: EmailTemplate<S>,
  props: z.input<S>,
  email: {
    kind?: EmailKind
    to: string
    i18n: { t: TFunction; locale: string }
    headers?: Record<string, string>
    supporterId?: string | null
    idempotencyKey: string
  },
): Promise<{ messageId: string }> {
  const { i18n, kind = 'transactional', ...envelope } = email
  const rendered = await renderEmail(template, props, i18n)
  return queueEmail(sql, { kind, template: template.name, ...envelope, ...rendered })
}

const holder = globalThis as typeof globalThis & { __writMailer?: Transporter }

/** The SMTP connection pool every sender uses (the letter benchmark's raw baseline too). */
export function smtpPoolOptions() {
  return { pool: true, maxConnections: 5, maxMessages: Infinity } as const
}

export function getTransport(): Transporter | undefined {
  const env = getEnv()
  if (!env.SMTP_URL) return undefined
  if (!holder.__writMailer) {
    holder.__writMailer = nodemailer.createTransport({
      url: env.SMTP_URL,
      ...smtpPoolOptions(),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      ...(env.DKIM_DOMAIN && env.DKIM_SELECTOR && env.DKIM_PRIVATE_KEY
        ? {
            dkim: {
              domainName: env.DKIM_DOMAIN,
              keySelector: env.DKIM_SELECTOR,
              privateKey: env.DKIM_PRIVATE_KEY,
            },
          }
        : {}),
    } as TransportOptions)
  }
  return holder.__writMailer
}

export function closeTransport() {
  holder.__writMailer?.close()
  holder.__writMailer = undefined
}

/**
 * A text part encoded by our one-pass quoted-printable encoder, for nodemailer's `html`/`text`
 * (`{ raw }` replaces the part's headers and body). The same MIME as nodemailer's own encoding,
 * at a fraction of the cost (ADR 0302).
 */
export function preEncodedPart(contentType: 'text/html' | 'text/plain', content: string) {
  return {
    raw:
      `Content-Type: ${contentType}; charset=utf-8\r\n` +
      `Content-Transfer-Encoding: quoted-printable\r\n\r\n` +
      encodeQuotedPrintable(content),
  }
}

export type Address = { name: string; address: string }

/** One text/plain + text/html email, as the delivery engine sends letters. */
export type OutgoingMail = {
  from: Address
  to: string
  replyTo: Address
  subject: string
  html: string
  text: string
  messageId: string
  headers: Record<string, string>
}

/**
 * The whole message as one string, for nodemailer's `raw` send: headers by nodemailer's own MimeNode
 * (address and RFC 2047 encoding, folding, Date, MIME-Version, boundary), the parts by our encoder.
 * nodemailer then streams it in one piece instead of part by part (ADR 0302).
 */
export function composeMessage(mail: OutgoingMail) {
  const root = new MimeNode('multipart/alternative')
  for (const [key, value] of Object.entries(mail.headers)) root.setHeader(key, value)
  // MimeNode formats address objects itself; the typings only admit strings.
  root.setHeader('From', mail.from as never)
  root.setHeader('To', mail.to)
  root.setHeader('Reply-To', mail.replyTo as never)
  root.setHeader('Subject', mail.subject)
  root.setHeader('Message-ID', mail.messageId)
  const headers = root.buildHeaders()
  const boundary = root.boundary
  const raw =
    `${headers}\r\n\r\n--${boundary}\r\n${preEncodedPart('text/plain', mail.text).raw}` +
    `\r\n--${boundary}\r\n${preEncodedPart('text/html', mail.html).raw}\r\n--${boundary}--\r\n`
  return {
    envelope: { from: mail.from.address, to: [mail.to] },
    raw,
    messageId: mail.messageId,
  }
}

/** Seconds to wait before attempt n+1: 2, 4, 8 … capped at 60. */
export function backoffSeconds(attempts: number): number {
  return Math.min(60, 2 ** Math.max(1, attempts))
}

/** An SMTP reply code of 5xx is permanent; anything else (4xx, network) is retried. */
export function isPermanentSmtpError(error: unknown): boolean {
  const code = (error as { responseCode?: number }).responseCode
  return typeof code === 'number' && code >= 500 && code < 600
}

const SENDING_LEASE = '5 minutes'

/**
 * The outbox gives up on an email after this many attempts, or at its first failure once it is
 * this old; it then ends `failed` with the reason, listed for organizers (ADR 0813).
 */
export const OUTBOX_LIMITS = { maxAttempts: 10, maxAgeHours: 48 } as const

export type { FailedEmail }

/**
 * The latest emails the outbox gave up on, for organizers: the template, the recipient's domain
 * and the reason, with any address in the reason cut to its domain too.
 */
export async function getFailedEmails(sql: Sql, limit = 50): Promise<FailedEmail[]> {
  const rows = await listFailedEmails(sql, limit)
  return rows.map((r) => ({
    ...r,
    reason: r.reason?.replace(/[^\s<>"'(),;:]+@([^\s<>"'(),;:]+)/g, '…@$1') ?? null,
  }))
}

export async function sendQueuedEmails(
  sql: Sql,
  {
    batchSize = 50,
    workerId = `worker-${process.pid}`,
  }: { batchSize?: number; workerId?: string } = {},
): Promise<number> {
  // Each claim is its own lease, so even two passes of one worker never confuse their rows.
  const lockedBy = `${workerId}/${randomUUID()}`
  const claimed = await claimDueEmails(sql, {
    batchSize,
    lease: SENDING_LEASE,
    lockedBy,
    limits: OUTBOX_LIMITS,
  })
  if (claimed.length === 0) return 0
  const transport = getTransport()
  await Promise.all(
    claimed.map(async (email) => {
      if (email.kind === 'list' && email.supporterUnsubscribed) {
        await markEmailSuppressed(sql, email)
        return
      }
      if (!transport) {
        await markEmailLocal(sql, email)
        return
      }
      try {
        const info = await transport.sendMail({
          from: email.fromAddress,
          to: email.toAddress,
          replyTo: email.replyTo ?? undefined,
          subject: email.subject,
          html: email.html,
          text: email.textBody,
          messageId: email.messageId,
          headers: email.headers,
        })
        await markEmailSent(sql, email, info.response ?? null)
      } catch (error) {
        const permanent = isPermanentSmtpError(error)
        // A 5xx is a hard bounce: the address gets no more list mail (ADR 1100).
        if (permanent) await markAddressHardBounced(sql, email.toAddress)
        await markEmailFailed(
          sql,
          email,
          {
            permanent,
            error: (error as Error).message.slice(0, 500),
            retryInSeconds: backoffSeconds(email.attempts),
          },
          OUTBOX_LIMITS,
        )
      }
    }),
  )
  return claimed.length
}
