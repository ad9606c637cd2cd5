import { getServerT } from '#app/i18n/i18n.server'
import type { Locale } from '#app/i18n/config'
import { getRepresentativesForOffices } from '#app/targets/lookup.server'
import { hashToken, isTokenShaped } from '#app/tokens/email-tokens.server'
import { getEnv } from '#app/utils/env.server'
import { hmac } from '#app/utils/keys.server'
import { getSql, type Sql } from '#db/client'
import {
  advanceCallSession,
  countSessionsToday,
  endCallSession,
  endStaleCallSessions,
  findCallCampaign,
  findCallSession,
  findCallVisitByTokenHash,
  insertCallSession,
  lockCallPhone,
  markCallSessionLive,
  setCallSessionSid,
  upsertCallLog,
  type CallOutcome,
} from '#db/queries/calls'
import { placeCall, twilioConfigured, verifyTwilioSignature, VoiceResponse } from './twilio.server'

// Patch-through: Writ calls the supporter, plays a short intro, then connects them to each office
// in turn (TwiML from Writ's own routes; * skips to the next office). Every callback must carry a
// valid X-Twilio-Signature. The phone number lives on the session only while it is live; an HMAC
// stays for the daily limit. See docs/decisions/1201-patch-through.md.

export const MAX_SESSIONS_PER_PHONE_PER_DAY = 3

export type StartPatchResult =
  | { status: 'started'; sessionId: string }
  | { status: 'not_found' }
  /** the campaign does not offer it, or Twilio is not configured */
  | { status: 'unavailable' }
  | { status: 'limited' }
  | { status: 'failed' }

export function phoneHash(phone: string): Buffer {
  return hmac('call-phone', phone)
}

function callbackUrl(sessionId: string, step: string, query = '') {
  return `${getEnv().PUBLIC_URL}/calls/twilio/${sessionId}/${step}${query}`
}

/** "Call me": a new session for this visit's offices, and the call to the supporter's phone. */
export async function startPatchThrough(input: {
  slug: string
  token: string
  /** E.164, e.g. +13075550100 */
  phone: string
  locale: Locale
}): Promise<StartPatchResult> {
  if (!isTokenShaped(input.token)) return { status: 'not_found' }
  const sql = getSql()
  const visit = await findCallVisitByTokenHash(sql, hashToken(input.token))
  if (!visit || visit.campaignSlug !== input.slug) return { status: 'not_found' }
  const campaign = await findCallCampaign(sql, input.slug, input.locale)
  if (!campaign || campaign.status !== 'live') return { status: 'not_found' }
  if (!campaign.callConfig.patchThrough || !twilioConfigured()) return { status: 'unavailable' }
  const hash = phoneHash(input.phone)
  const session = await sql.begin(async (tx) => {
    await lockCallPhone(tx, hash)
    if ((await countSessionsToday(tx, hash)) >= MAX_SESSIONS_PER_PHONE_PER_DAY) return null
    return insertCallSession(tx, {
      visitId: visit.id,
      campaignId: visit.campaignId,
      phone: input.phone,
      phoneHash: hash,
      officeKeys: visit.officeKeys,
    })
  })
  if (!session) return { status: 'limited' }
  try {
    const call = await placeCall({
      to: input.phone,
      url: callbackUrl(session.id, 'intro'),
      statusCallback: callbackUrl(session.id, 'status'),
    })
    await setCallSessionSid(sql, session.id, call.sid)
  } catch (error) {
    // Twilio's messages can quote the number: only its status and error code are logged.
    const e = error as { status?: number; code?: number }
    console.error(
      `[calls] placing the patch-through call failed: status ${e.status} code ${e.code}`,
    )
    await endCallSession(sql, session.id, 'failed')
    return { status: 'failed' }
  }
  return { status: 'started', sessionId: session.id }
}

export type TwilioCallback = {
  sessionId: string
  step: string
  /** the full URL Twilio called (the public one), which the signature covers */
  url: string
  signature: string | null
  params: Record<string, string>
}

export type TwilioCallbackResult =
  | { status: 'forbidden' }
  | { status: 'not_found' }
  | { status: 'twiml'; body: string }
  | { status: 'ok' }

const SAY_LANG = { en: 'en-US', es: 'es-US' } as const

/** Outcome of one office's leg from the <Dial> action's DialCallStatus. */
function legOutcome(status: string | undefined, digits: string | undefined): CallOutcome {
  if (digits === '*') return 'skipped'
  switch (status) {
    case 'completed':
    case 'answered':
      return 'reached'
    case 'canceled':
      return 'skipped'
    default:
      return 'busy'
  }
}

/**
 * One Twilio callback: 'intro' and 'next' answer TwiML, 'dialed' records an office's leg (outcome
 * and duration) and moves on, 'status' ends the session and deletes the phone number.
 */
export async function handleTwilioCallback(cb: TwilioCallback): Promise<TwilioCallbackResult> {
  if (!verifyTwilioSignature(cb.signature, cb.url, cb.params)) return { status: 'forbidden' }
  const sql = getSql()
  const session = await findCallSession(sql, cb.sessionId)
  if (!session) return { status: 'not_found' }
  const locale: Locale = session.locale === 'es' ? 'es' : 'en'
  const t = getServerT(locale)
  const say = { language: SAY_LANG[locale] } as const
  const twiml = new VoiceResponse()

  switch (cb.step) {
    case 'status': {
      // The supporter's call ended (or never connected): the number is deleted now.
      await endCallSession(
        sql,
        session.id,
        cb.params.CallStatus === 'completed' ? 'ended' : 'failed',
      )
      return { status: 'ok' }
    }
    case 'intro': {
      await markCallSessionLive(sql, session.id)
      twiml.say(say, t('calls:voice.intro', { count: session.officeKeys.length }))
      twiml.redirect({ method: 'POST' }, callbackUrl(session.id, 'next'))
      return { status: 'twiml', body: twiml.toString() }
    }
    case 'dialed': {
      const n = Number(new URL(cb.url).searchParams.get('n'))
      const officeKey = session.officeKeys[n]
      if (Number.isInteger(n) && officeKey && n === session.position) {
        const seconds = Number(cb.params.DialCallDuration ?? 0)
        await upsertCallLog(sql, {
          visitId: session.visitId,
          campaignId: session.campaignId,
          officeKey,
          outcome: legOutcome(cb.params.DialCallStatus, cb.params.Digits),
          via: 'patch',
          durationSeconds: Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds) : 0,
        })
        await advanceCallSession(sql, session.id, n)
      }
      twiml.redirect({ method: 'POST' }, callbackUrl(session.id, 'next'))
      return { status: 'twiml', body: twiml.toString() }
    }
    case 'next': {
      if (session.status === 'ended' || session.status === 'failed') {
        twiml.hangup()
        return { status: 'twiml', body: twiml.toString() }
      }
      const position = session.position
      const officeKey = session.officeKeys[position]
      if (!officeKey) {
        twiml.say(say, t('calls:voice.done'))
        twiml.hangup()
        return { status: 'twiml', body: twiml.toString() }
      }
      const [rep] = await getRepresentativesForOffices([officeKey])
      const phone = rep?.office.phone?.replace(/\D/g, '').slice(-10)
      if (!rep || rep.vacant || !phone) {
        await advanceCallSession(sql, session.id, position)
        twiml.redirect({ method: 'POST' }, callbackUrl(session.id, 'next'))
        return { status: 'twiml', body: twiml.toString() }
      }
      const title = t(`letters:titles.${rep.chamber}`)
      twiml.say(say, t('calls:voice.connecting', { title, name: rep.name }))
      const dial = twiml.dial({
        action: callbackUrl(session.id, 'dialed', `?n=${position}`),
        method: 'POST',
        hangupOnStar: true,
        callerId: getEnv().TWILIO_FROM_NUMBER,
      })
      dial.number(`+1${phone}`)
      return { status: 'twiml', body: twiml.toString() }
    }
    default:
      return { status: 'not_found' }
  }
}

/** No call lasts this long: a session still live after it lost its status callback. */
export const SESSION_MAX_MINUTES = 120

/** The worker's chore: sessions never reported ended lose their phone number. */
export function endStalePatchSessions(sql: Sql): Promise<number> {
  return endStaleCallSessions(sql, SESSION_MAX_MINUTES)
}
