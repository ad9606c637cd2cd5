import { randomUUID } from 'node:crypto'
import { parseWithZod } from '@conform-to/zod/v4'
import type { Submission } from '@conform-to/react'
import { getServerT } from '#app/i18n/i18n.server'
import type { Locale } from '#app/i18n/config'
import {
  checkFormTiming,
  FORM_TOKEN_FIELD,
  honeypotFilled,
  issueFormToken,
} from '#app/safety/bot-defense.server'
import { checkRateLimit, type LimitDecision } from '#app/safety/rate-limit.server'
import { getSql } from '#db/client'
import {
  createDonationCheckout,
  getCheckoutSummary,
  getDonatePage,
  isManageTokenValid,
  isStripeUnavailable,
  openBillingPortal,
  requestManageLink,
} from './donations.server'
import { createDonationSchema, ManageRequestSchema } from './schema'

// The donate forms (/donate and /c/:slug/donate, their thank-you pages, and managing a monthly
// gift), as typed input in and outcomes out; the routes turn them into HTTP.

const tag = (v: string | null) => (v && /^[\w.:@-]{1,100}$/.test(v) ? v : null)

type Refused = Exclude<LimitDecision, { allowed: true }>
export async function getDonateForm(
  slug: string | null,
  locale: Locale,
  query: { source: string | null; ref: string | null; canceled: boolean },
) {
  const page = await getDonatePage(slug, locale)
  if (!page) return undefined
  const t = getServerT(locale)
  return {
    ...page,
    title: page.campaign
      ? `${t('donations:page.campaignTitle')} · ${page.campaign.headline}`
      : t('donations:page.title'),
    formId: randomUUID(),
    formToken: issueFormToken(),
    source: tag(query.source),
    ref: tag(query.ref),
    canceled: query.canceled,
  }
}

export type DonateOutcome =
  | { kind: 'not-found' }
  | { kind: 'honeypot' }
  | { kind: 'too-fast' }
  | { kind: 'invalid'; submission: Submission<unknown, string[]> }
  | { kind: 'checkout'; url: string }
  | { kind: 'limited'; decision: Refused }
  | { kind: 'unavailable'; submission: Submission<unknown, string[]> }

/**
 * The donate form's POST: bot defenses (docs/decisions/0601-bot-defenses.md), the rate limit,
 * validation, then a Stripe Checkout Session. Nothing is stored before the webhook.
 */
export async function donateFromForm(
  slug: string | null,
  formData: FormData,
  { locale, ip }: { locale: Locale; ip: string | null },
): Promise<DonateOutcome> {
  const page = await getDonatePage(slug, locale)
  if (!page) return { kind: 'not-found' }
  if (honeypotFilled(formData)) return { kind: 'honeypot' }
  if (checkFormTiming(formData.get(FORM_TOKEN_FIELD)) !== 'ok') return { kind: 'too-fast' }
  const schema = createDonationSchema({ maxAmount: page.config.maxAmount })
  const submission = parseWithZod(formData, { schema })
  const decision = await checkRateLimit(getSql(), {
    action: 'donate',
    ip: ip ?? 'unknown',
    email: submission.status === 'success' ? submission.value.email : null,
  })
  if (!decision.allowed) return { kind: 'limited', decision }
  if (submission.status !== 'success') return { kind: 'invalid', submission }
  const field = (name: string) => {
    const v = formData.get(name)
    return typeof v === 'string' ? v : null
  }
  const formId = field('formId')
  try {
    const url = await createDonationCheckout({
      campaign: page.campaign,
      form: submission.value,
      locale,
      formId: formId && /^[0-9a-f-]{36}$/.test(formId) ? formId : null,
      source: tag(field('source')),
      ref: tag(field('ref')),
    })
    return { kind: 'checkout', url }
  } catch (error) {
    if (!isStripeUnavailable(error)) throw error
    console.error('donations: could not create a Checkout Session', error)
    return { kind: 'unavailable', submission }
  }
}

/** The thank-you page after Checkout: rate-limited per client, as it asks Stripe about the session. */
export async function getDonateThanks(
  slug: string | null,
  locale: Locale,
  sessionId: string | null,
  { ip }: { ip: string | null },
) {
  const decision = await checkRateLimit(getSql(), { action: 'donate_thanks', ip: ip ?? 'unknown' })
  if (!decision.allowed) return { kind: 'limited' as const, decision }
  const page = await getDonatePage(slug, locale)
  if (!page) return undefined
  const summary = await getCheckoutSummary(sessionId)
  return {
    campaign: page.campaign,
    config: page.config,
    totals: page.totals,
    summary,
    title: getServerT(locale)('donations:thanks.title'),
  }
}

export function manageTitle(locale: Locale) {
  return getServerT(locale)('donations:manage.title')
}

export type ManageRequestOutcome =
  | { kind: 'invalid'; submission: Submission<unknown, string[]> }
  | { kind: 'sent'; submission: Submission<unknown, string[]> }
  | { kind: 'limited'; decision: Refused }

/** "Email me a link to manage my monthly gift": the link goes out only to a donor's address. */
export async function requestManageLinkFromForm(
  formData: FormData,
  { locale, ip }: { locale: Locale; ip: string | null },
): Promise<ManageRequestOutcome> {
  const submission = parseWithZod(formData, { schema: ManageRequestSchema })
  const decision = await checkRateLimit(getSql(), {
    action: 'manage_gift',
    ip: ip ?? 'unknown',
    email: submission.status === 'success' ? submission.value.email : null,
  })
  if (!decision.allowed) return { kind: 'limited', decision }
  if (submission.status !== 'success') return { kind: 'invalid', submission }
  await requestManageLink(submission.value.email, locale)
  return { kind: 'sent', submission }
}

export async function getManageToken(token: string, locale: Locale) {
  return { title: manageTitle(locale), valid: await isManageTokenValid(token) }
}

export type BillingPortalOutcome =
  { kind: 'portal'; url: string } | { kind: 'expired' } | { kind: 'unavailable' }

/** Spends the emailed one-time token on a Stripe Billing Portal session. */
export async function openBillingPortalFor(token: string): Promise<BillingPortalOutcome> {
  try {
    const url = await openBillingPortal(token)
    return url ? { kind: 'portal', url } : { kind: 'expired' }
  } catch (error) {
    if (!isStripeUnavailable(error)) throw error
    console.error('donations: could not open the Billing Portal', error)
    return { kind: 'unavailable' }
  }
}
