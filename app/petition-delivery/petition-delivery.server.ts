import { withGiveUp, type Outcome } from '#app/delivery/delivery.server'
import { supportedLocales, type Locale } from '#app/i18n/config'
import { getServerT } from '#app/i18n/i18n.server'
import { customTargetToDeliveryTarget, type DeliveryTarget } from '#app/letters/letters.server'
import {
  representativeToDeliveryTarget,
  resolveCommitteeTargets,
} from '#app/letters/targets.server'
import {
  backoffSeconds,
  getTransport,
  isPermanentSmtpError,
  messageIdFor,
  queueEmail,
} from '#app/mail/mail.server'
import { queueCampaignUpdate } from '#app/safety/list-email.server'
import { getRepresentativesForOffices } from '#app/targets/lookup.server'
import { getEnv } from '#app/utils/env.server'
import { getSql, type Db, type Sql } from '#db/client'
import { listCustomTargets } from '#db/queries/letters'
import {
  assignRoundSignatures,
  claimDuePetitionEmails,
  claimRoundUpdate,
  countRoundPlaces,
  countUndelivered,
  findCampaignHeader,
  findPetitionOfficeDelivery,
  finishPetitionDeliveries,
  getPetitionCopyForOffices,
  insertPetitionOfficeDeliveries,
  insertRound,
  listMilestones,
  listPetitionOfficeSigners,
  listReachedMilestones,
  listRounds,
  lockPetitionForDelivery,
  markMilestonesReached,
  markPetitionPacketDelivered,
  movePetitionPacketsToAwaiting,
  releaseHeldPetitionEmails,
  replaceMilestones,
  selectSeatedOfficeIds,
  type FinishPetitionDelivery,
  type NewPetitionOfficeDelivery,
  type PetitionOfficeDelivery,
} from '#db/queries/petition-deliveries'
import {
  petitionCsvFilename,
  petitionDocumentCsv,
  petitionDocumentHtml,
  petitionDocumentText,
  petitionDocumentTitle,
  type PetitionDocumentInput,
} from './document.server'

// Petition delivery (issue 14, section 1; docs/decisions/0901-petition-delivery.md). An organizer
// delivers now, or the worker delivers when the confirmed count reaches a milestone. A round
// carries the signatures no earlier round carried; each target office gets one delivery with
// only its own constituents (Senators: their state; Representatives: their district), while
// committee members and named officials get every signature. Email with the CSV attached where
// the office has an address, a printed packet otherwise; the same statuses and evidence as
// letters. Opted-in signers get one update per round once its offices have their outcome.

/** Offices read the campaign in English (U.S. offices), like letter packets. */
const OFFICE_LOCALE: Locale = 'en'

export type DeliverPetitionOutcome =
  | { kind: 'delivered'; roundId: string; offices: number; signatures: number }
  | { kind: 'not_found' }
  | { kind: 'not_petition' }
  /** no confirmed signature since the last round */
  | { kind: 'nothing_new' }
  /** the campaign targets no one these signatures reach */
  | { kind: 'no_targets' }

class Rollback extends Error {
  constructor(readonly outcome: DeliverPetitionOutcome) {
    super(outcome.kind)
  }
}

/** One delivery round of a petition: now (an organizer) or at a milestone (the worker). */
export async function deliverPetition(input: {
  campaignId: string
  organizerId: string | null
  reason: 'now' | 'milestone'
  milestone?: number | null
}): Promise<DeliverPetitionOutcome> {
  const sql = getSql()
  try {
    return await sql.begin(async (tx) => {
      const campaign = await lockPetitionForDelivery(tx, input.campaignId)
      if (!campaign) throw new Rollback({ kind: 'not_found' })
      if (campaign.kind !== 'petition') throw new Rollback({ kind: 'not_petition' })
      const roundId = await insertRound(tx, {
        campaignId: campaign.id,
        reason: input.reason,
        milestone: input.milestone ?? null,
        createdBy: input.organizerId,
      })
      const coverage = await assignRoundSignatures(tx, roundId, campaign.id)
      if (coverage.signatureCount === 0) throw new Rollback({ kind: 'nothing_new' })
      const rows = await officeRows(
        tx,
        roundId,
        campaign.id,
        campaign.targetConfig ?? {},
        coverage.signatureCount,
      )
      if (rows.length === 0) throw new Rollback({ kind: 'no_targets' })
      await insertPetitionOfficeDeliveries(tx, rows)
      if (input.reason === 'milestone' && input.milestone) {
        await markMilestonesReached(tx, campaign.id, input.milestone, roundId)
      }
      return {
        kind: 'delivered' as const,
        roundId,
        offices: rows.length,
        signatures: coverage.signatureCount,
      }
    })
  } catch (error) {
    if (error instanceof Rollback) return error.outcome
    throw error
  }
}

/** The round's deliveries: one per office, with the signatures that office's list holds. */
async function officeRows(
  tx: Sql,
  roundId: string,
  campaignId: string,
  config: { house?: boolean; senate?: boolean; committees?: string[] },
  total: number,
): Promise<NewPetitionOfficeDelivery[]> {
  const places = await countRoundPlaces(tx, roundId)
  const byState = new Map<string, number>()
  const byDistrict = new Map<string, number>()
  for (const p of places) {
    byState.set(p.state, (byState.get(p.state) ?? 0) + p.n)
    if (p.district !== null) {
      const key = `${p.state}-${p.district}`
      byDistrict.set(key, (byDistrict.get(key) ?? 0) + p.n)
    }
  }
  const constituentsOf = (t: DeliveryTarget) =>
    t.chamber === 'senate'
      ? (byState.get(t.state ?? '') ?? 0)
      : t.chamber === 'house'
        ? (byDistrict.get(`${t.state}-${t.district}`) ?? 0)
        : null

  const rows = new Map<string, NewPetitionOfficeDelivery>()
  const add = (
    t: DeliveryTarget,
    audience: NewPetitionOfficeDelivery['audience'],
    listed: number,
  ) => {
    rows.set(t.officeKey, {
      roundId,
      officeKey: t.officeKey,
      officeName: t.name,
      officeTitle: t.title,
      chamber: t.chamber,
      state: t.state,
      district: t.district,
      email: t.email,
      audience,
      constituents: constituentsOf(t),
      listed,
      channel: t.email ? 'email' : 'packet',
      messageId: messageIdFor(`petition-delivery/${roundId}/${t.officeKey}`),
    })
  }

  // Members of Congress, constituent-matched: only seats with at least one constituent signer.
  const officeIds = await selectSeatedOfficeIds(tx, {
    senateStates: config.senate ? [...byState.keys()] : [],
    houseSeats: config.house ? [...byDistrict.keys()] : [],
  })
  for (const rep of await getRepresentativesForOffices(officeIds)) {
    if (rep.vacant || (rep.chamber !== 'house' && rep.chamber !== 'senate')) continue
    const target = representativeToDeliveryTarget(rep, OFFICE_LOCALE)
    const n = constituentsOf(target) ?? 0
    if (n > 0) add(target, rep.chamber === 'senate' ? 'state' : 'district', n)
  }
  // Every member of the chosen committees, and named officials: every signature.
  if (config.committees?.length) {
    for (const t of await resolveCommitteeTargets(config.committees, OFFICE_LOCALE)) {
      add(t, 'everyone', total)
    }
  }
  for (const c of await listCustomTargets(tx, campaignId)) {
    add(customTargetToDeliveryTarget(c), 'everyone', total)
  }
  return [...rows.values()]
}

// ---------------------------------------------------------------------------------------------
// Milestones

/** The petition's milestones become these thresholds (reached ones stay as history). */
export async function setMilestones(campaignId: string, thresholds: number[]) {
  const unique = [...new Set(thresholds)].sort((a, b) => a - b)
  await getSql().begin((tx) => replaceMilestones(tx, campaignId, unique))
}

/** The recurring job: a petition whose confirmed count reached a milestone is delivered. */
export async function deliverReachedMilestones(sql: Sql): Promise<number> {
  let rounds = 0
  for (const m of await listReachedMilestones(sql)) {
    const outcome = await deliverPetition({
      campaignId: m.campaignId,
      organizerId: null,
      reason: 'milestone',
      milestone: m.threshold,
    })
    if (outcome.kind === 'delivered') rounds++
    // Nothing new or no one to reach: the milestone is passed all the same, not retried forever.
    else await markMilestonesReached(sql, m.campaignId, m.threshold, null)
  }
  return rounds
}

// ---------------------------------------------------------------------------------------------
// The worker: packets to awaiting_hand_delivery, emails (with the CSV) to the offices

let releasedHeld = false

/** Used by tests: forget that held email was released (a new process would). */
export function resetPetitionDeliveryProcessState() {
  releasedHeld = false
}

export async function runPetitionDeliveries(
  sql: Sql,
  workerId: string,
  {
    batchSize = 20,
    leaseSeconds = 300,
    backoff = backoffSeconds,
  }: { batchSize?: number; leaseSeconds?: number; backoff?: (attempts: number) => number } = {},
): Promise<number> {
  if (getTransport() && !releasedHeld) {
    await releaseHeldPetitionEmails(sql)
    releasedHeld = true
  }
  const rounds = new Set(await movePetitionPacketsToAwaiting(sql, batchSize))
  const claimed = await claimDuePetitionEmails(sql, { workerId, batchSize, leaseSeconds })
  const outcomes: FinishPetitionDelivery[] = []
  for (const row of claimed) {
    outcomes.push({ ...(await attempt(sql, row, backoff)), id: row.id, attempt: row.attempts })
  }
  for (const r of await finishPetitionDeliveries(sql, workerId, outcomes)) rounds.add(r)
  for (const r of rounds) await queueRoundUpdate(sql, r)
  return rounds.size + claimed.length
}

type PetitionOutcome = Omit<FinishPetitionDelivery, 'id' | 'attempt'>

async function attempt(
  sql: Sql,
  row: PetitionOfficeDelivery,
  backoff: (attempts: number) => number,
): Promise<PetitionOutcome> {
  let outcome: Outcome
  try {
    outcome = await sendByEmail(sql, row)
  } catch (error) {
    console.error(`[petition-delivery] ${row.id} failed unexpectedly:`, error)
    const message = String((error as Error).message).slice(0, 500)
    outcome = {
      status: 'queued',
      channel: 'email',
      evidence: { channel: 'email', error: message },
      lastError: message,
    }
  }
  return withGiveUp(row, outcome, backoff) as PetitionOutcome
}

async function documentInput(
  sql: Sql,
  row: PetitionOfficeDelivery,
): Promise<PetitionDocumentInput> {
  const [copy, signers] = await Promise.all([
    getPetitionCopyForOffices(sql, row.campaignId, OFFICE_LOCALE),
    listPetitionOfficeSigners(sql, row.id),
  ])
  return {
    delivery: row,
    copy: copy ?? { headline: row.campaignSlug, ask: '' },
    // a signer erased since the round was made has left the list (and, with their place, its
    // query) but is still in the round's counts: counted, not named, like anonymous signers
    signers: { ...signers, unnamed: Math.max(signers.unnamed, row.listed - signers.named.length) },
    orgName: getEnv().ORG_NAME,
    t: getServerT(OFFICE_LOCALE),
    locale: OFFICE_LOCALE,
  }
}

async function sendByEmail(sql: Sql, row: PetitionOfficeDelivery): Promise<Outcome> {
  const env = getEnv()
  const input = await documentInput(sql, row)
  const subject = petitionDocumentTitle(input)
  const html = petitionDocumentHtml(input)
  const text = petitionDocumentText(input)
  const csv = petitionDocumentCsv(input)
  const filename = petitionCsvFilename(row)
  const transport = getTransport()
  if (!transport) {
    // No SMTP server: the email waits in the local outbox (without its attachment) and the
    // delivery stays queued, as a letter's does (ADR 0300).
    await queueEmail(sql, {
      kind: 'transactional',
      template: 'petition-delivery',
      to: row.email ?? '',
      subject,
      html,
      text,
      messageId: row.messageId,
      headers: { 'X-Writ-Petition-Delivery': String(row.id) },
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
    const info = await transport.sendMail({
      from: env.MAIL_FROM,
      to: row.email ?? '',
      subject,
      html,
      text,
      messageId: row.messageId,
      headers: { 'X-Writ-Petition-Delivery': String(row.id) },
      attachments: [{ filename, content: csv, contentType: 'text/csv; charset=utf-8' }],
    })
    return {
      status: 'delivered',
      channel: 'email',
      evidence: {
        channel: 'email',
        to: row.email,
        messageId: info.messageId ?? row.messageId,
        attachment: filename,
        listed: row.listed,
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
    return isPermanentSmtpError(error)
      ? { status: 'failed', channel: 'email', evidence, lastError: message }
      : { status: 'queued', channel: 'email', evidence, lastError: message }
  }
}

// ---------------------------------------------------------------------------------------------
// Packets: printed, handed over, marked delivered

export type PetitionPacket = {
  html: string
  csv: string
  filename: string
  delivery: PetitionOfficeDelivery
}

/** The packet of one office delivery (printable HTML and CSV), whatever its channel. */
export async function getPetitionPacket(deliveryId: number): Promise<PetitionPacket | null> {
  const sql = getSql()
  const delivery = await findPetitionOfficeDelivery(sql, deliveryId)
  if (!delivery) return null
  const input = await documentInput(sql, delivery)
  return {
    html: petitionDocumentHtml(input),
    csv: petitionDocumentCsv(input),
    filename: petitionCsvFilename(delivery),
    delivery,
  }
}

export async function markPetitionPacketHandDelivered(input: {
  deliveryId: number
  organizerId: string | null
  note: string | null
}): Promise<{ kind: 'delivered'; campaignId: string } | { kind: 'not_awaiting' }> {
  return getSql().begin(async (tx) => {
    const roundId = await markPetitionPacketDelivered(tx, input)
    if (!roundId) return { kind: 'not_awaiting' as const }
    await queueRoundUpdate(tx, roundId)
    const delivery = await findPetitionOfficeDelivery(tx, input.deliveryId)
    return { kind: 'delivered' as const, campaignId: delivery!.campaignId }
  })
}

// ---------------------------------------------------------------------------------------------
// The signers' update

/**
 * Queues the round's one update to opted-in signers (the list-mail path, with its unsubscribe
 * headers) once every office has its outcome. Returns how many were queued.
 */
export async function queueRoundUpdate(sql: Sql, roundId: string): Promise<number> {
  const run = async (tx: Sql) => {
    const round = await claimRoundUpdate(tx, roundId)
    if (!round) return 0
    const copy: Record<string, { subject: string; body: string }> = {}
    for (const locale of supportedLocales) {
      const campaign = await getPetitionCopyForOffices(tx, round.campaignId, locale)
      const t = getServerT(locale)
      const n = (v: number) => new Intl.NumberFormat(locale).format(v)
      copy[locale] = {
        subject: t('petitionDelivery:update.subject', { headline: campaign?.headline ?? '' }),
        body: [
          t('petitionDelivery:update.thanks', { headline: campaign?.headline ?? '' }),
          t('petitionDelivery:update.delivered', {
            date: new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(
              round.deliveredAt,
            ),
            count: round.delivered,
            countText: n(round.delivered),
          }),
          t('petitionDelivery:update.signatures', {
            count: round.signatureCount,
            countText: n(round.signatureCount),
            total: n(round.totalDelivered),
          }),
          t('petitionDelivery:update.privacy'),
          t('petitionDelivery:update.link', {
            url: `${getEnv().PUBLIC_URL}/c/${round.slug}${locale === 'en' ? '' : `?lang=${locale}`}`,
          }),
        ].join('\n\n'),
      }
    }
    return queueCampaignUpdate(tx, {
      campaignId: round.campaignId,
      updateKey: `petition-delivery:${roundId}`,
      copy,
    })
  }
  return 'savepoint' in sql ? run(sql) : (sql as Db).begin((tx) => run(tx))
}

// ---------------------------------------------------------------------------------------------
// The organizer's page

/** The delivery page of a petition; undefined when there is no such campaign. */
export async function getPetitionDeliveryPage(campaignId: string) {
  const sql = getSql()
  const campaign = await findCampaignHeader(sql, campaignId)
  if (!campaign) return undefined
  const [counts, milestones, rounds] = await Promise.all([
    countUndelivered(sql, campaignId),
    listMilestones(sql, campaignId),
    listRounds(sql, campaignId),
  ])
  return { campaign, ...counts, milestones, rounds }
}
