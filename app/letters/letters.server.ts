import { randomUUID } from 'node:crypto'
import { chooseChannel, cwcReachOf } from '#app/delivery/channels'
import { letterStatusPath, letterStatusToken } from '#app/delivery/status-link.server'
import { describeDelivery, type DeliveryLine } from '#app/delivery/status.server'
import { getServerT } from '#app/i18n/i18n.server'
import { isLocale, type Locale } from '#app/i18n/config'
import { messageIdFor } from '#app/mail/mail.server'
import { getEnv } from '#app/utils/env.server'
import { getSql, type Sql } from '#db/client'
import { getPublicCampaign } from '#db/queries/campaigns'
import {
  cancelUnconfirmedDeliveries,
  FINAL_STATUSES,
  insertDeliveries,
  listDeliveriesForLetter,
  type Channel,
} from '#db/queries/deliveries'
import {
  findLetterByTokenHash,
  findLetterCampaign,
  insertLetter,
  listCustomTargets,
  supporterEmailConfirmed,
  type LetterCampaignRow,
} from '#db/queries/letters'
import type { MergeValues } from './merge-fields'
import {
  copyGroupFor,
  mergeValuesForOffice,
  NO_GROUP_COPIES,
  officialSalutation,
  renderForOffice,
  type LetterCopies,
} from '#app/delivery/addressing.server'
import type { Constituent } from './schema'
import { hashToken } from '#app/tokens/email-tokens.server'

// Letters: one per constituent and campaign submission, with one delivery row per target office.
// The delivery engine (app/delivery) sends them. See docs/decisions/0301-letters-and-merge-fields.md.

/**
 * One office a letter goes to. The representative lookup (app/targets) and a campaign's
 * custom_targets both map onto this.
 */
export type DeliveryTarget = {
  /** offices.id for legislators (e.g. 'house/CA-13'), 'custom/<uuid>' for custom targets. */
  officeKey: string
  /** The person, e.g. "Nancy Pelosi" or "Secretary of Homeland Security". */
  name: string
  /** How the letter addresses them, e.g. "Representative", "Senator", "Secretary". */
  title: string
  chamber: 'house' | 'senate' | 'state_upper' | 'state_lower' | 'state_legislature' | null
  state: string | null
  district: string | null
  /** HCA13, HAK00, SOH2 … (computed for House seats when absent). */
  cwcCode: string | null
  email: string | null
  /** The person addressed (legislators.id, e.g. a bioguide id); null for named officials. */
  holderId?: string | null
  /** The whole greeting, e.g. "Dear Senator Lummis" or an official's "Dear Mr. or Madam Secretary". */
  salutation?: string | null
  /** The holder's last name, for {{targetLastName}} (else the name's last word). */
  lastName?: string | null
}

export type LetterCampaign = {
  id: string
  letterEditable: boolean
  letterMaxLength: number
  /** Send only after the writer confirms their email (their letter waits until then). */
  letterRequiresConfirmation?: boolean
}

/** A letter still waiting for its writer's confirmation this long is cancelled. */
export const CONFIRMATION_WAIT_DAYS = 7

export type CreateLetterInput = {
  campaign: LetterCampaign
  /** The supporter row (created by the signing flow in the same transaction). */
  supporterId: string
  signatureId?: number | null
  /** Its signature is held for review: the letter is held by its own state until released. */
  held?: boolean
  constituent: Constituent
  /** Subject and body as the constituent sends them: merge fields still in place. */
  subject: string
  body: string
  /** True when the constituent changed the suggested letter. */
  edited: boolean
  locale: Locale
  targets: DeliveryTarget[]
  /**
   * The campaign's other groups' copy in the letter's language (ADR 0904): named officials get
   * the officials' letter, listed legislators the thank-you. Without it, every office gets the
   * constituent letter.
   */
  copies?: LetterCopies
}

export type CreatedLetter = {
  letterId: string
  statusToken: string
  statusPath: string
  deliveries: Array<{ id: number; officeKey: string; channel: Channel }>
}

export class LetterError extends Error {
  name = 'LetterError'
}

/** Merge values for one office. */
export function mergeValuesFor(c: Constituent, target: DeliveryTarget): MergeValues {
  return mergeValuesForOffice(c, target)
}

/** A named official (custom target), as opposed to a seat in the roster. */
export const isOfficialKey = (officeKey: string) => officeKey.startsWith('custom/')

/**
 * The letter the constituent sends: the campaign's suggestion, or their edit when the campaign
 * allows editing (bounded by letter_max_length). An edit of a non-editable letter is ignored.
 */
export function resolveLetterText({
  campaign,
  suggested,
  submitted,
}: {
  campaign: LetterCampaign
  suggested: { subject: string; body: string }
  submitted: { subject?: string | null; message?: string | null }
}): { subject: string; body: string; edited: boolean } {
  if (!campaign.letterEditable) return { ...suggested, edited: false }
  const subject = submitted.subject?.trim() || suggested.subject
  const body = submitted.message?.trim() || suggested.body
  if (body.length > campaign.letterMaxLength) {
    throw new LetterError(`letter is longer than ${campaign.letterMaxLength} characters`)
  }
  const edited = subject !== suggested.subject.trim() || body !== suggested.body.trim()
  return { subject, body, edited }
}

/**
 * Stores one letter and one queued delivery per target office, in the caller's transaction
 * (with the signature). Channels are chosen now, per office; the worker sends. Targets with the
 * same officeKey are delivered once.
 */
export async function createLetter(tx: Sql, input: CreateLetterInput): Promise<CreatedLetter> {
  const targets = [...new Map(input.targets.map((t) => [t.officeKey, t])).values()]
  if (targets.length === 0) throw new LetterError('a letter needs at least one target office')
  const letterId = randomUUID()
  const statusToken = letterStatusToken(letterId)
  const c = input.constituent
  const reach = cwcReachOf(getEnv())
  const awaitingConfirmation =
    Boolean(input.campaign.letterRequiresConfirmation) &&
    !(await supporterEmailConfirmed(tx, input.supporterId))
  await insertLetter(tx, {
    id: letterId,
    campaignId: input.campaign.id,
    supporterId: input.supporterId,
    signatureId: input.signatureId ?? null,
    statusTokenHash: hashToken(statusToken),
    prefix: c.prefix,
    firstName: c.firstName,
    lastName: c.lastName,
    email: c.email,
    street: c.street,
    city: c.city,
    state: c.state,
    zip: c.zip,
    subject: input.subject,
    body: input.body,
    edited: input.edited,
    locale: input.locale,
    held: input.held ?? false,
    awaitingConfirmation,
  })
  const deliveries = await insertDeliveries(
    tx,
    targets.map((t) => {
      const copies = input.copies ?? NO_GROUP_COPIES
      const group = copyGroupFor(
        { official: isOfficialKey(t.officeKey), holderId: t.holderId },
        copies,
      )
      const text = renderForOffice({
        group,
        constituentCopy: { subject: input.subject, body: input.body },
        copies,
        constituent: c,
        to: t,
      })
      return {
        letterId,
        officeKey: t.officeKey,
        officeName: t.name,
        officeTitle: t.title,
        chamber: t.chamber,
        state: t.state,
        district: t.district,
        cwcCode: t.cwcCode,
        email: t.email,
        channel: chooseChannel(t, reach),
        messageId: messageIdFor(`letter/${letterId}/${t.officeKey}`),
        subject: text.subject,
        body: text.body,
        copyGroup: group,
        holderId: isOfficialKey(t.officeKey) ? null : (t.holderId ?? null),
      }
    }),
  )
  return { letterId, statusToken, statusPath: letterStatusPath(letterId), deliveries }
}

/** Maps a campaign's custom_targets row onto a DeliveryTarget. */
export function customTargetToDeliveryTarget(
  t: {
    id: string
    name: string
    title: string
    channel: 'email' | 'packet'
    email: string | null
    salutation?: string | null
  },
  locale?: string,
): DeliveryTarget {
  return {
    officeKey: `custom/${t.id}`,
    name: t.name,
    title: t.title,
    chamber: null,
    state: null,
    district: null,
    cwcCode: null,
    email: t.channel === 'email' ? t.email : null,
    holderId: null,
    // the organizer's greeting, else "Dear <name>" in the letter's language: never the title twice
    salutation: t.salutation || (locale ? officialSalutation(locale, t.name) : null),
  }
}

export type LetterStatus = {
  /** Erased at the writer's request: the page says so and shows nothing else. */
  erased: boolean
  /** The text was purged after the retention period (each office's status stays). */
  textPurged: boolean
  subject: string | null
  body: string | null
  firstName: string
  campaignSlug: string
  createdAt: string
  receiptSent: boolean
  complete: boolean
  offices: DeliveryLine[]
}

/** The /letters/:token page's data, or null for an unknown token. */
export async function getLetterStatus(token: string, locale: string): Promise<LetterStatus | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null
  const sql = getSql()
  const letter = await findLetterByTokenHash(sql, hashToken(token))
  if (!letter) return null
  if (letter.erasedAt) {
    return {
      erased: true,
      textPurged: true,
      subject: null,
      body: null,
      firstName: '',
      campaignSlug: letter.campaignSlug,
      createdAt: letter.createdAt.toISOString(),
      receiptSent: false,
      complete: true,
      offices: [],
    }
  }
  const deliveries = await listDeliveriesForLetter(sql, letter.id)
  const t = getServerT(isLocale(locale) ? locale : 'en')
  // the writer's own letter (their legislators' copy) before the organization's (ADR 0904)
  const first = deliveries.find((d) => d.copyGroup === 'constituent') ?? deliveries[0]
  return {
    erased: false,
    textPurged: Boolean(letter.textPurgedAt),
    subject: first?.subject ?? letter.subject,
    body: first?.body ?? letter.body,
    firstName: letter.firstName ?? '',
    campaignSlug: letter.campaignSlug,
    createdAt: letter.createdAt.toISOString(),
    receiptSent: Boolean(letter.receiptSentAt),
    complete: deliveries.every((d) => FINAL_STATUSES.includes(d.status)),
    offices: deliveries.map((d) => {
      const line = describeDelivery(d, t, locale)
      return letter.awaitingConfirmation && d.status === 'queued'
        ? { ...line, detail: t('letters:evidence.awaitingConfirmation') }
        : line
    }),
  }
}

export type LetterCampaignForWriting = {
  campaign: LetterCampaign & {
    slug: string
    status: LetterCampaignRow['status']
    cwcTopic: string | null
    bill: LetterCampaignRow['bill']
    /** Which "your representatives" chambers the lookup should return. */
    targetConfig: LetterCampaignRow['targetConfig']
  }
  /** The suggested letter, merge fields in place, in the reader's locale when translated. */
  suggested: { subject: string; body: string; locale: string }
  /** The campaign's named officials, ready for createLetter. */
  customTargets: DeliveryTarget[]
  /**
   * The officials' and thank-you copies in the reader's locale (falling back like `suggested`),
   * sent as the organization wrote them (ADR 0904).
   */
  copies: LetterCopies
}

/** What the /c/:slug letter flow needs to show and send a letter; null if not a letter campaign. */
export async function getLetterCampaignForWriting(
  slug: string,
  locale: string,
): Promise<LetterCampaignForWriting | null> {
  const sql = getSql()
  const c = await findLetterCampaign(sql, slug, locale)
  if (!c) return null
  const custom = await listCustomTargets(sql, c.id)
  return {
    campaign: {
      id: c.id,
      slug: c.slug,
      status: c.status,
      letterEditable: c.letterEditable,
      letterMaxLength: c.letterMaxLength,
      letterRequiresConfirmation: c.letterRequiresConfirmation,
      cwcTopic: c.cwcTopic,
      bill: c.bill,
      targetConfig: c.targetConfig,
    },
    suggested: { subject: c.letterSubject ?? '', body: c.letterBody ?? '', locale: c.locale },
    customTargets: custom.map((t) => customTargetToDeliveryTarget(t, c.locale)),
    copies: {
      officials:
        c.officialsSubject && c.officialsBody
          ? { subject: c.officialsSubject, body: c.officialsBody }
          : null,
      thanks:
        c.thanksSubject && c.thanksBody ? { subject: c.thanksSubject, body: c.thanksBody } : null,
      thanksBioguides: c.targetConfig?.thanks ?? [],
    },
  }
}

/** The letter flow's thank-you page: the letter's live status, its status link, the donate ask. */
export async function getLetterThanks(slug: string, token: string, locale: Locale) {
  const status = await getLetterStatus(token, locale)
  if (!status || status.erased || status.campaignSlug !== slug) return null
  const campaign = await getPublicCampaign(getSql(), slug, locale)
  return {
    slug,
    campaign: campaign
      ? { id: campaign.id, slug, donationEnabled: campaign.donationEnabled }
      : null,
    status,
    statusPath: `/letters/${token}`,
    thankYou: campaign?.thankYou ?? '',
    donatePath: campaign?.donationEnabled ? `/c/${slug}/donate` : '/donate',
  }
}

/** The worker's chore: letters never confirmed within CONFIRMATION_WAIT_DAYS are cancelled. */
export function expireUnconfirmedLetters(sql: Sql): Promise<number> {
  return cancelUnconfirmedDeliveries(sql, CONFIRMATION_WAIT_DAYS)
}
