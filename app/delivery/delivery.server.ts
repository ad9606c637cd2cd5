import {
  backoffSeconds,
  getTransport,
  composeMessage,
  isPermanentSmtpError,
  queueEmail,
} from '#app/mail/mail.server'
import { getServerT } from '#app/i18n/i18n.server'
import { isLocale } from '#app/i18n/config'
import { getEnv } from '#app/utils/env.server'
import type { Sql } from '#db/client'
import {
  claimDueDeliveries,
  findReaddressContexts,
  finishDeliveries,
  moveQueuedPacketsToAwaiting,
  readdressClaimedDelivery,
  releaseHeldEmailDeliveries,
  type Channel,
  type ClaimedDelivery,
  type Evidence,
  type FinishDelivery,
} from '#db/queries/deliveries'
import { renderLetterEmail } from '#emails/letter'
import {
  buildCwcXml,
  cwcDeliveryId,
  CwcInputError,
  houseOfficeCode,
  postCwcMessage,
} from './cwc.server'
import { chooseChannel, cwcReachOf, cwcReaches } from './channels'
import { officeLabel, readdressedFor } from './addressing.server'

// The delivery engine: claims due (letter, office) rows, sends each through its channel, and
// records every attempt and transition with its evidence. See docs/decisions/0300-delivery-engine.md.

export type DeliveryRunOptions = {
  batchSize?: number
  /** A `sending` row whose lease is older than this is presumed abandoned and claimed again. */
  leaseSeconds?: number
  /** Seconds before attempt n+1 after a temporary failure (capped at 60 by default). */
  backoff?: (attempts: number) => number
  /** Parallel sends. */
  concurrency?: number
  /**
   * A pass keeps claiming batches while there is due work, for up to this long, then finishes
   * what it claimed and returns (so the worker's other processors and a shutdown get their turn).
   */
  passMs?: number
}

const DEFAULTS = {
  batchSize: 100,
  leaseSeconds: 300,
  backoff: backoffSeconds,
  concurrency: 32,
  passMs: 1000,
}

export type Outcome = Omit<FinishDelivery, 'id' | 'workerId' | 'attempt'>

let releasedHeld = false

/**
 * One pass: route packet rows to awaiting_hand_delivery, then claim due rows batch by batch
 * (the next batch is claimed while the current one is still sending) and deliver them,
 * recording outcomes in group commits. Returns how many rows it handled.
 */
export async function runDeliveries(
  sql: Sql,
  workerId: string,
  options: DeliveryRunOptions = {},
): Promise<number> {
  const o = { ...DEFAULTS, ...options }
  const transport = getTransport()
  if (transport && !releasedHeld) {
    // Mail held while no SMTP server was configured goes out now that there is one.
    await releaseHeldEmailDeliveries(sql)
    releasedHeld = true
  }
  const routed = await moveQueuedPacketsToAwaiting(sql, o.batchSize)
  const recorder = outcomeRecorder(sql, workerId)
  const deadline = performance.now() + o.passMs
  const queue: ClaimedDelivery[] = []
  let claimed = 0
  let exhausted = false
  let claimError: unknown
  let claiming: Promise<void> | undefined
  const claimMore = () => {
    claiming ??= claimDueDeliveries(sql, {
      workerId,
      batchSize: o.batchSize,
      leaseSeconds: o.leaseSeconds,
      channels: ['cwc', 'email'],
    }).then(
      (rows) => {
        queue.push(...rows)
        claimed += rows.length
        if (rows.length < o.batchSize || performance.now() >= deadline) exhausted = true
        claiming = undefined
      },
      (error: unknown) => {
        claimError ??= error
        exhausted = true
        claiming = undefined
      },
    )
    return claiming
  }
  const sender = async () => {
    for (;;) {
      // Claim the next batch before this one runs dry, so the sends never wait for the claim.
      if (!exhausted && queue.length <= o.concurrency) void claimMore()
      const row = queue.shift()
      if (row) {
        const outcome = await attempt(sql, workerId, row, o.backoff)
        recorder.add({ ...outcome, id: row.id, attempt: row.attempts })
      } else if (claiming) {
        await claiming
      } else {
        return
      }
    }
  }
  await claimMore()
  await Promise.all(Array.from({ length: o.concurrency }, sender))
  await recorder.done()
  if (claimError) throw claimError
  // Receipts are their own processor (receipts.server.ts), so they never slow deliveries down.
  return routed.length + claimed
}

/**
 * Group commit for outcomes: while one finishDeliveries statement is in flight, the outcomes that
 * complete meanwhile wait and go in the next one. Every outcome is fenced on this worker's lease.
 */
function outcomeRecorder(sql: Sql, workerId: string) {
  let pending: Omit<FinishDelivery, 'workerId'>[] = []
  let running: Promise<void> | undefined
  let failure: unknown
  const flush = async () => {
    try {
      while (pending.length > 0) {
        const outcomes = pending
        pending = []
        try {
          const recorded = await finishDeliveries(sql, workerId, outcomes)
          for (const f of outcomes) {
            if (!recorded.has(String(f.id))) {
              console.warn(
                `[delivery] lost the lease on delivery ${f.id}; its new owner records it`,
              )
            }
          }
        } catch (error) {
          // The rows stay `sending` under this lease; when it expires they are sent again with
          // the same Message-ID (ADR 0300). The pass reports the error.
          failure ??= error
        }
      }
    } finally {
      running = undefined
    }
  }
  return {
    add(outcome: Omit<FinishDelivery, 'workerId'>) {
      pending.push(outcome)
      running ??= flush()
    },
    async done() {
      while (running) await running
      if (failure) throw failure
    },
  }
}

/** Used by tests: forget that held email was released (a new process would). */
export function resetDeliveryProcessState() {
  releasedHeld = false
}

/** A vacant seat's letters wait this long between looks at the roster (ADR 0905). */
export const VACANT_SEAT_RETRY_SECONDS = 3600
export const VACANT_SEAT = 'vacant seat'

/**
 * The seat's holder now, read when the row was claimed (ADR 0905): a letter to a holder who left
 * is re-addressed and re-rendered for the new one (with an event); a vacant seat's letter waits.
 * Returns the row to send, or the outcome when there is nothing to send now.
 */
async function addressToCurrentHolder(
  sql: Sql,
  workerId: string,
  row: ClaimedDelivery,
): Promise<ClaimedDelivery | Outcome> {
  if (!row.seatKnown || !row.holderId || row.currentHolderId === row.holderId) return row
  if (!row.currentHolderId) {
    return {
      status: 'queued',
      channel: row.channel,
      evidence: { channel: row.channel, reason: VACANT_SEAT, officeKey: row.officeKey },
      lastError: VACANT_SEAT,
      retryIn: VACANT_SEAT_RETRY_SECONDS,
    }
  }
  // ids are bigint: postgres.js returns them as strings
  const ctx = (await findReaddressContexts(sql, [Number(row.id)])).get(Number(row.id))
  // the holder changed again since the claim (an import in between): look again shortly
  if (!ctx) return { status: 'queued', channel: row.channel, evidence: {}, lastError: null }
  const next = readdressedFor(ctx, { ...row, id: Number(row.id) })
  const channel = chooseChannel(
    { chamber: ctx.chamber, cwcCode: next.cwcCode, email: next.email },
    cwcReachOf(getEnv()),
  )
  await readdressClaimedDelivery(sql, workerId, row.attempts, { ...next, channel })
  const readdressed: ClaimedDelivery = {
    ...row,
    ...next,
    channel,
    currentHolderId: next.holderId,
  }
  if (channel === 'packet') {
    return {
      status: 'awaiting_hand_delivery',
      channel,
      evidence: { ...next.evidence, reason: 'noElectronicChannel' },
      lastError: null,
    }
  }
  return readdressed
}

async function attempt(
  sql: Sql,
  workerId: string,
  claimed: ClaimedDelivery,
  backoff: (attempts: number) => number,
): Promise<Outcome> {
  let row = claimed
  try {
    const addressed = await addressToCurrentHolder(sql, workerId, claimed)
    if ('status' in addressed) return withGiveUp(row, addressed, backoff)
    row = addressed
    const outcome = row.channel === 'cwc' ? await sendByCwc(row) : await sendByEmail(sql, row)
    return withGiveUp(row, outcome, backoff)
  } catch (error) {
    // A bug or an unexpected dependency error: retry with backoff, never lose the row.
    console.error(`[delivery] ${row.id} (${row.channel}) failed unexpectedly:`, error)
    return withGiveUp(
      row,
      {
        status: 'queued',
        channel: row.channel,
        evidence: { channel: row.channel, error: String((error as Error).message).slice(0, 500) },
        lastError: String((error as Error).message).slice(0, 500),
      },
      backoff,
    )
  }
}

/**
 * A temporary failure is retried with backoff until DELIVERY_GIVE_UP_HOURS have passed (letters
 * and petition deliveries alike).
 */
export function withGiveUp(
  row: Pick<ClaimedDelivery, 'createdAt' | 'attempts' | 'channel'>,
  outcome: Outcome,
  backoff: (attempts: number) => number,
): Outcome {
  if (
    outcome.status !== 'queued' ||
    outcome.retryIn === 'hold' ||
    outcome.channel !== row.channel
  ) {
    return outcome
  }
  const ageHours = (Date.now() - new Date(row.createdAt).getTime()) / 3_600_000
  if (ageHours >= getEnv().DELIVERY_GIVE_UP_HOURS) {
    return {
      ...outcome,
      status: 'failed',
      lastError: `gave up after ${row.attempts} attempts: ${outcome.lastError ?? 'temporary failure'}`,
      evidence: { ...outcome.evidence, gaveUp: true },
    }
  }
  return { ...outcome, retryIn: outcome.retryIn ?? backoff(row.attempts) }
}

/** The next channel when the row's own channel is no longer available (e.g. the CWC key was removed). */
function fallbackChannel(row: ClaimedDelivery): Outcome {
  const channel: Channel = row.email ? 'email' : 'packet'
  const evidence = { rerouted: { from: row.channel, to: channel, reason: 'channelUnavailable' } }
  return channel === 'email'
    ? { status: 'queued', channel, evidence, lastError: null, retryIn: 0 }
    : { status: 'awaiting_hand_delivery', channel, evidence, lastError: null }
}

async function sendByCwc(row: ClaimedDelivery): Promise<Outcome> {
  if (!cwcReaches(row, cwcReachOf(getEnv()))) return fallbackChannel(row)
  const memberOffice =
    row.cwcCode ??
    (row.chamber === 'house' && row.state ? houseOfficeCode(row.state, row.district) : '')
  const deliveryKey = `${row.letterId}/${row.officeKey}`
  let xml: string
  try {
    xml = buildCwcXml({
      deliveryKey,
      deliveryDate: new Date(),
      campaignId: row.campaignId,
      memberOffice,
      constituent: {
        prefix: row.prefix ?? '',
        firstName: row.firstName ?? '',
        lastName: row.lastName ?? '',
        street: row.street ?? '',
        city: row.city ?? '',
        state: row.constituentState ?? '',
        zip: row.zip ?? '',
        email: row.constituentEmail ?? '',
      },
      subject: row.subject,
      topics: [row.cwcTopic ?? 'Government Operations and Politics'],
      bill: row.bill,
      constituentMessage: row.body,
    })
  } catch (error) {
    if (!(error instanceof CwcInputError)) throw error
    const reason = `CWC message incomplete: ${error.message}`
    return {
      status: 'failed',
      channel: 'cwc',
      evidence: { channel: 'cwc', memberOffice },
      lastError: reason,
    }
  }
  const result = await postCwcMessage(xml)
  const evidence: Evidence = {
    channel: 'cwc',
    memberOffice,
    deliveryId: cwcDeliveryId(deliveryKey),
    cwcStatus: result.status,
    cwcResponse: result.response.slice(0, 1000),
  }
  if (result.kind === 'accepted') {
    return { status: 'delivered', channel: 'cwc', evidence, lastError: null }
  }
  const reason = `CWC ${result.status ?? 'unreachable'}: ${result.response.slice(0, 300)}`
  if (result.kind === 'rejected') {
    return { status: 'failed', channel: 'cwc', evidence, lastError: reason }
  }
  return { status: 'queued', channel: 'cwc', evidence, lastError: reason }
}

function fromAddress(): { name: string; address: string } {
  const env = getEnv()
  const match = /<([^>]+)>/.exec(env.MAIL_FROM)
  return { name: env.ORG_NAME, address: (match?.[1] ?? env.MAIL_FROM).trim() }
}

/** The email to one office for one letter: rendered from the template, ready for nodemailer. */
export function letterMail(row: ClaimedDelivery) {
  const env = getEnv()
  const locale = isLocale(row.locale) ? row.locale : 'en'
  const senderName = `${row.firstName ?? ''} ${row.lastName ?? ''}`.trim()
  const rendered = renderLetterEmail(
    {
      subject: row.subject,
      body: row.body,
      senderName,
      senderEmail: row.constituentEmail ?? '',
      senderAddress: [
        row.street ?? '',
        `${row.city ?? ''}, ${row.constituentState ?? ''} ${row.zip ?? ''}`,
      ],
      officeName: officeLabel(row.officeTitle, row.officeName),
      orgName: env.ORG_NAME,
    },
    { t: getServerT(locale), locale },
  )
  const from = fromAddress()
  return {
    from: { name: `${senderName} via ${from.name}`, address: from.address },
    to: row.email ?? '',
    replyTo: { name: senderName, address: row.constituentEmail ?? '' },
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    messageId: row.messageId,
    headers: { 'X-Writ-Letter': row.letterId },
  }
}

async function sendByEmail(sql: Sql, row: ClaimedDelivery): Promise<Outcome> {
  const mail = letterMail(row)
  const transport = getTransport()
  if (!transport) {
    // No SMTP server: the letter waits in the local outbox (Postgres), visible to organizers,
    // and the delivery stays queued (it has not reached the office). See ADR 0300.
    await queueEmail(sql, {
      kind: 'transactional',
      template: 'letter',
      to: mail.to,
      from: `${mail.from.name} <${mail.from.address}>`,
      replyTo: row.constituentEmail,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      headers: mail.headers,
      messageId: row.messageId,
      status: 'local',
    })
    return {
      status: 'queued',
      channel: 'email',
      evidence: { channel: 'email', heldInLocalOutbox: true, messageId: row.messageId },
      lastError: 'No SMTP server is configured: held in the local outbox',
      retryIn: 'hold',
    }
  }
  try {
    // The message goes as one pre-composed string: nodemailer's stream encoder and part-by-part
    // streaming were the largest costs per letter (ADR 0302).
    const info = await transport.sendMail(composeMessage(mail))
    return {
      status: 'delivered',
      channel: 'email',
      evidence: {
        channel: 'email',
        to: row.email,
        messageId: info.messageId ?? row.messageId,
        smtpResponse: String(info.response ?? '').slice(0, 500),
      },
      lastError: null,
    }
  } catch (error) {
    const code = (error as { responseCode?: number }).responseCode ?? null
    const message = `SMTP ${code ?? 'error'}: ${String((error as Error).message).slice(0, 400)}`
    const evidence = {
      channel: 'email',
      to: row.email,
      messageId: row.messageId,
      smtpCode: code,
      error: message,
    }
    if (isPermanentSmtpError(error)) {
      return { status: 'failed', channel: 'email', evidence, lastError: message }
    }
    return { status: 'queued', channel: 'email', evidence, lastError: message }
  }
}
