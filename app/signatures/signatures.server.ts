import { randomBytes } from 'node:crypto'
import { parseWithZod } from '@conform-to/zod/v4'
import type { Submission } from '@conform-to/react'
import { getServerT } from '#app/i18n/i18n.server'
import { isLocale, type Locale } from '#app/i18n/config'
import { outboxEmail } from '#app/mail/mail.server'
import {
  checkFormTiming,
  honeypotFilled,
  flagReasonFor,
  FORM_TOKEN_FIELD,
  TURNSTILE_FIELD,
  verifyTurnstile,
} from '#app/safety/bot-defense.server'
import { hashIp } from '#app/safety/client.server'
import { checkRateLimit, type LimitDecision } from '#app/safety/rate-limit.server'
import {
  hashToken,
  isTokenShaped,
  issueEmailToken,
  newToken,
} from '#app/tokens/email-tokens.server'
import { getEnv } from '#app/utils/env.server'
import { canonicalUrl, getCampaign, type CampaignPage } from '#app/campaigns/campaigns.server'
import { invalidateCachedPages, utmOf } from '#app/campaigns/page-cache.server'
import { invalidateCampaignCounts } from '#app/campaigns/read-cache.server'
import { getSql, type Sql } from '#db/client'
import { getPublicCampaign } from '#db/queries/campaigns'
import { releaseLettersAwaitingConfirmation } from '#db/queries/letters'
import { enqueueEmail } from '#db/queries/mail'
import {
  filledBody,
  findConfirmToken,
  findSignatureToConfirm,
  insertSignature,
  type NewSignature,
  redeemConfirmToken,
  type TemplatedBody,
} from '#db/queries/petitions'
import { confirmSignatureEmail } from '#emails/confirm-signature'
import { renderEmail } from '#emails/render'
import { insertSignatureGrouped } from './group-commit.server'
import { SignSchema, type SignInput } from './schema'

// Signatures: signing a petition (also the first half of sending a letter), and confirmation.
// Signing is one short transaction (docs/decisions/0101-signing-transaction.md).

export const CONFIRM_TOKEN_TTL_HOURS = 24 * 14

// ---------------------------------------------------------------------------------------------
// Signing

export type SignerContext = {
  locale: Locale
  /** the signer's IP, hashed before it is stored */
  ip: string | null
}

export type SignResult =
  | {
      status: 'signed'
      signatureId: string
      refCode: string
      supporterId: string
      /** held for an organizer's review */
      held: boolean
    }
  | { status: 'already-signed' }

/**
 * Records a signature inside the caller's transaction: supporter, signature, consents, source,
 * confirmation token and the queued confirmation email. The letters flow calls this inside its
 * own transaction. Signing twice writes nothing and reports 'already-signed'.
 */
export async function recordSignature(
  tx: Sql,
  campaign: Pick<CampaignPage, 'id' | 'slug' | 'headline'>,
  input: SignInput,
  context: SignerContext & {
    /** Already decided by flagReasonFor (then the signature is not counted again). */
    flagReason?: string | null
    /** hashIp(ip), when the caller has it already */
    ipHash?: string | null
    /** Through the group commit (only where `tx` is the pool: one statement, no transaction). */
    grouped?: boolean
  },
): Promise<SignResult> {
  const { locale } = context
  const t = getServerT(locale)
  const token = newToken()
  const tokenHash = hashToken(token)
  const ipHash =
    context.ipHash !== undefined ? context.ipHash : context.ip ? hashIp(context.ip) : null
  const flagReason =
    context.flagReason !== undefined
      ? context.flagReason
      : await flagReasonFor(tx, { email: input.email, ip: context.ip, ipHash })
  // Rendered before the insert, so that the email joins the same statement; a second signature
  // (nothing inserted) or a held one throws it away.
  const confirmEmail = await confirmEmailFor(campaign, locale, {
    to: input.email,
    firstName: input.firstName,
    token,
  })
  const signature: NewSignature = {
    campaignId: campaign.id,
    email: input.email,
    firstName: input.firstName,
    lastName: input.lastName,
    street: input.street ?? null,
    city: input.city ?? null,
    state: input.state ?? null,
    zip: input.zip,
    locale,
    refCode: newRefCode(),
    referredByCode: input.ref ?? null,
    comment: input.comment ?? null,
    anonymous: input.anonymous,
    displayName: displayNameOf(input.firstName, input.lastName),
    source: input.source ?? null,
    utm: utmOf(input),
    referrerHost: input.referrerHost ?? null,
    ipHash,
    flagReason,
    consents: [
      { kind: 'terms', granted: true, text: t('petitions:consent.terms') },
      { kind: 'list', granted: input.optIn, text: t('petitions:form.optIn') },
    ],
    confirmTokenHash: tokenHash,
    confirmTokenTtlHours: CONFIRM_TOKEN_TTL_HOURS,
    confirmEmail,
  }
  const inserted = context.grouped
    ? await insertSignatureGrouped(signature)
    : await insertSignature(tx, signature)
  if (!inserted) return { status: 'already-signed' }
  return {
    status: 'signed',
    signatureId: inserted.id,
    refCode: inserted.refCode,
    supporterId: inserted.supporterId,
    held: inserted.held,
  }
}

/**
 * The confirmation email's outbox row, with the link for `token`: its body as the campaign's
 * template and this signer's values (filled in by the insert, ADR 1309).
 */
async function confirmEmailFor(
  campaign: Pick<CampaignPage, 'id' | 'slug' | 'headline'>,
  locale: Locale,
  { to, firstName, token }: { to: string; firstName: string; token: string },
): Promise<NewSignature['confirmEmail']> {
  const { subject, template } = await confirmTemplate(campaign, locale)
  const confirmUrl = `${getEnv().PUBLIC_URL}/confirm/${token}`
  const body: TemplatedBody = {
    template,
    html: [escapeHtml(firstName), confirmUrl],
    text: [firstName, confirmUrl],
  }
  const {
    html: _html,
    textBody: _text,
    ...email
  } = outboxEmail({
    kind: 'transactional',
    template: confirmSignatureEmail.name,
    to,
    subject,
    // filled in from `body` where the row is written
    html: '',
    text: '',
    // The signature's id is not known before the statement; its token is, and is as unique.
    idempotencyKey: `confirm-signature:${hashToken(token).toString('hex')}`,
  })
  return { ...email, body }
}

/**
 * Queues the confirmation email of a signature that was held and is now released, in the
 * reviewer's transaction, with a new link (the one made when signing was never sent). Nothing
 * when the signature is still held, already confirmed, or its campaign is no longer public.
 */
export async function queueSignatureConfirmation(tx: Sql, signatureId: string): Promise<boolean> {
  const signature = await findSignatureToConfirm(tx, signatureId)
  if (!signature) return false
  const locale = isLocale(signature.locale) ? signature.locale : 'en'
  const campaign = await getPublicCampaign(tx, signature.campaignSlug, locale)
  if (!campaign) return false
  const token = await issueEmailToken(tx, {
    purpose: 'confirm_signature',
    subjectId: signatureId,
    ttlMinutes: CONFIRM_TOKEN_TTL_HOURS * 60,
  })
  const email = await confirmEmailFor(campaign, locale, {
    to: signature.email,
    firstName: signature.firstName ?? '',
    token,
  })
  const { body, ...rest } = email
  await enqueueEmail(tx, { ...rest, ...filledBody(body), supporterId: signature.supporterId })
  return true
}

export type SignActionResult =
  | { kind: 'not-found' }
  | { kind: 'closed' }
  | { kind: 'invalid'; submission: Submission<unknown, string[]> }
  | { kind: 'honeypot' }
  | { kind: 'too-fast' }
  | { kind: 'turnstile'; result: 'failed' | 'unavailable' }
  | { kind: 'limited'; decision: Exclude<LimitDecision, { allowed: true }> }
  | { kind: 'done'; result: SignResult }

/**
 * The sign form's POST: honeypot, validation, then one transaction. With `protect` (the public
 * route), the bot defenses and rate limits run first (docs/decisions/0601-bot-defenses.md), in
 * the order timing, Turnstile, rate limit; a refused request stores nothing.
 */
export async function signFromForm(
  slug: string,
  formData: FormData,
  context: {
    requestLocale: Locale
    ip: string | null
    protect?: boolean
    /** The campaign the caller has read already (in the form's locale): then none is read here. */
    campaign?: CampaignPage | null
  },
): Promise<SignActionResult> {
  // Bots that fill the hidden field get the same redirect as people, and nothing is stored.
  if (honeypotFilled(formData)) return { kind: 'honeypot' }
  if (context.protect && checkFormTiming(formData.get(FORM_TOKEN_FIELD)) !== 'ok')
    return { kind: 'too-fast' }

  // The order every public form keeps: timing, Turnstile, rate limit, then anything outside.
  if (context.protect) {
    const turnstile = await verifyTurnstile(formData.get(TURNSTILE_FIELD), context.ip)
    if (turnstile !== 'ok') return { kind: 'turnstile', result: turnstile }
  }
  const submission = parseWithZod(formData, { schema: SignSchema })
  const sql = getSql()
  if (context.protect) {
    // Counted before validation too, so that a flood of junk is limited like a flood of signatures.
    const decision = await checkRateLimit(sql, {
      action: 'sign',
      ip: context.ip ?? 'unknown',
      email: submission.status === 'success' ? submission.value.email : null,
    })
    if (!decision.allowed) return { kind: 'limited', decision }
  }
  if (submission.status !== 'success') return { kind: 'invalid', submission }

  const locale = isLocale(submission.value.locale) ? submission.value.locale : context.requestLocale
  const campaign =
    context.campaign !== undefined ? context.campaign : await getCampaign(slug, locale)
  if (!campaign) return { kind: 'not-found' }
  if (campaign.status !== 'live') return { kind: 'closed' }
  // The whole write is one statement, atomic on its own, without BEGIN/COMMIT; concurrent ones
  // share statements (group commit, ADR 1302). The IP-burst count before it is one statement on
  // an UNLOGGED table (ADR 1303).
  const ipHash = context.ip ? hashIp(context.ip) : null
  const flagReason = await flagReasonFor(sql, {
    email: submission.value.email,
    ip: context.ip,
    ipHash,
  })
  const result = await recordSignature(sql, campaign, submission.value, {
    locale,
    ip: context.ip,
    ipHash,
    flagReason,
    grouped: true,
  })
  invalidateCampaignCounts(slug)
  invalidateCachedPages(slug)
  return { kind: 'done', result }
}

// "Maria G." : first name and last initial, the only name ever shown publicly.
export function displayNameOf(firstName: string, lastName: string) {
  const initial = Array.from(lastName.trim())[0]
  return initial ? `${firstName.trim()} ${initial.toUpperCase()}.` : firstName.trim()
}

function newRefCode() {
  // 64 random bits: unguessable enough that codes cannot be enumerated, short enough to share.
  return randomBytes(8).toString('base64url')
}

/**
 * A personal code shaped like a real one and stored nowhere, for the thank-you page of anyone
 * whose signature was not recorded now (a repeat signer, a bot that filled the honeypot). Their
 * redirect and page then look exactly like a first signer's, so the form does not tell whoever
 * typed an address whether its owner signed. The code refers nobody.
 */
export function decoyRefCode(): string {
  return newRefCode()
}

// Rendering React Email costs milliseconds of CPU, too much on a path that must take 1,000
// signatures a second. The email differs per signer only in the first name and the link, so it
// is rendered once per campaign, locale and headline with markers, and each signer's values
// replace the markers where the row is written (insertSignatures, filledBody).
const FIRST_NAME_MARKER = 'WRITFIRSTNAMEMARKER'
const CONFIRM_URL_MARKER = 'https://writ.invalid/WRITCONFIRMURLMARKER'
type ConfirmTemplate = { subject: string; template: TemplatedBody['template'] }
const renderedTemplates = new Map<string, Promise<ConfirmTemplate>>()

/** The campaign's confirmation email with markers; one object per campaign, locale and headline. */
function confirmTemplate(
  campaign: Pick<CampaignPage, 'id' | 'slug' | 'headline'>,
  locale: Locale,
): Promise<ConfirmTemplate> {
  const env = getEnv()
  const key = JSON.stringify([campaign.id, locale, campaign.headline, env.PUBLIC_URL, env.ORG_NAME])
  let template = renderedTemplates.get(key)
  if (!template) {
    if (renderedTemplates.size > 500) renderedTemplates.clear()
    template = renderEmail(
      confirmSignatureEmail,
      {
        firstName: FIRST_NAME_MARKER,
        headline: campaign.headline,
        confirmUrl: CONFIRM_URL_MARKER,
        campaignUrl: canonicalUrl(campaign.slug, locale),
        orgName: env.ORG_NAME,
        postalAddress: env.ORG_POSTAL_ADDRESS,
      },
      { t: getServerT(locale), locale },
    ).then(({ subject, html, text }) => ({
      subject,
      template: { html, text, markers: [FIRST_NAME_MARKER, CONFIRM_URL_MARKER] as const },
    }))
    template.catch(() => renderedTemplates.delete(key))
    renderedTemplates.set(key, template)
  }
  return template
}

function escapeHtml(s: string) {
  return s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#x27;')
}

// ---------------------------------------------------------------------------------------------
// Confirmation (double opt-in). GET shows a button; only the POST changes anything, so that
// mail scanners that open links do not confirm for the signer.

export type ConfirmState = 'valid' | 'unknown' | 'expired' | 'used'

export async function checkConfirmToken(
  token: string,
): Promise<{ state: ConfirmState; campaignSlug?: string }> {
  if (!isTokenShaped(token)) return { state: 'unknown' }
  const found = await findConfirmToken(getSql(), hashToken(token))
  if (!found) return { state: 'unknown' }
  if (found.used) return { state: 'used', campaignSlug: found.campaignSlug }
  if (found.expired) return { state: 'expired', campaignSlug: found.campaignSlug }
  return { state: 'valid', campaignSlug: found.campaignSlug }
}

export async function confirmSignature(
  token: string,
): Promise<
  { ok: true; campaignSlug: string; refCode: string } | { ok: false; state: ConfirmState }
> {
  const checked = await checkConfirmToken(token)
  if (checked.state !== 'valid') return { ok: false, state: checked.state }
  // One transaction: the token is used, and the writer's letters waiting for this proof of their
  // address go out (a campaign that sends only confirmed writers' letters).
  const confirmed = await getSql().begin(async (tx) => {
    const redeemed = await redeemConfirmToken(tx, hashToken(token))
    if (redeemed) await releaseLettersAwaitingConfirmation(tx, redeemed.supporterId)
    return redeemed
  })
  // Lost a race with another click on the same link: it is used now.
  if (!confirmed) return { ok: false, state: 'used' }
  return { ok: true, campaignSlug: checked.campaignSlug!, refCode: confirmed.refCode }
}
