import { randomUUID } from 'node:crypto'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect } from '@remix-run/node'
import type { AppLoadContext } from '@remix-run/node'
import { getLocale, getServerT } from '#app/i18n/i18n.server'
import { checkFormTiming, FORM_TOKEN_FIELD, issueFormToken } from '#app/safety/bot-defense.server'
import { enforceRateLimit } from '#app/safety/rate-limit.server'
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
import { readFormData } from '#app/safety/request.server'

// The request handling shared by /donate and /c/:slug/donate (and their thank-you pages), so the
// two route modules stay one line each.

const tag = (v: string | null) => (v && /^[\w.:@-]{1,100}$/.test(v) ? v : null)

export async function loadDonatePage(request: Request, slug: string | null) {
  const locale = await getLocale(request)
  const page = await getDonatePage(slug, locale)
  if (!page) throw new Response('Not found', { status: 404 })
  const url = new URL(request.url)
  const t = getServerT(locale)
  return {
    ...page,
    title: page.campaign
      ? `${t('donations:page.campaignTitle')} · ${page.campaign.headline}`
      : t('donations:page.title'),
    formId: randomUUID(),
    formToken: issueFormToken(),
    source: tag(url.searchParams.get('source')),
    ref: tag(url.searchParams.get('ref')),
    canceled: url.searchParams.has('canceled'),
  }
}

export async function submitDonation(
  request: Request,
  slug: string | null,
  context?: AppLoadContext | null,
) {
  const locale = await getLocale(request)
  const page = await getDonatePage(slug, locale)
  if (!page) throw new Response('Not found', { status: 404 })
  const formData = await readFormData(request)
  // Bot defenses (docs/decisions/0601-bot-defenses.md): a filled honeypot goes back to the page
  // with nothing created; a form posted too soon after it was served is refused with a message.
  const honeypot = formData.get('website')
  if (typeof honeypot === 'string' && honeypot.trim() !== '') {
    return redirect(slug ? `/c/${slug}/donate` : '/donate', 303)
  }
  if (checkFormTiming(formData.get(FORM_TOKEN_FIELD)) !== 'ok') {
    return data(
      { result: { status: 'error' as const, error: { '': ['donations:page.tooFast'] } } },
      { status: 400 },
    )
  }
  const schema = createDonationSchema({ maxAmount: page.config.maxAmount })
  const submission = parseWithZod(formData, { schema })
  await enforceRateLimit(getSql(), {
    action: 'donate',
    ip: context?.clientIp ?? 'unknown',
    email: submission.status === 'success' ? submission.value.email : null,
  })
  if (submission.status !== 'success') {
    return data({ result: submission.reply() }, { status: 400 })
  }
  const field = (name: string) => {
    const v = formData.get(name)
    return typeof v === 'string' ? v : null
  }
  try {
    const url = await createDonationCheckout({
      campaign: page.campaign,
      form: submission.value,
      locale,
      formId: field('formId') && /^[0-9a-f-]{36}$/.test(field('formId')!) ? field('formId') : null,
      source: tag(field('source')),
      ref: tag(field('ref')),
    })
    return redirect(url, 303)
  } catch (error) {
    if (!isStripeUnavailable(error)) throw error
    console.error('donations: could not create a Checkout Session', error)
    return data(
      { result: submission.reply({ formErrors: ['donations:page.unavailable'] }) },
      { status: 503, headers: { 'Retry-After': '30' } },
    )
  }
}

export async function loadThanksPage(request: Request, slug: string | null) {
  const locale = await getLocale(request)
  const page = await getDonatePage(slug, locale)
  if (!page) throw new Response('Not found', { status: 404 })
  const summary = await getCheckoutSummary(new URL(request.url).searchParams.get('session_id'))
  return {
    campaign: page.campaign,
    config: page.config,
    totals: page.totals,
    summary,
    title: getServerT(locale)('donations:thanks.title'),
  }
}

export async function loadManagePage(request: Request) {
  const locale = await getLocale(request)
  return { title: getServerT(locale)('donations:manage.title') }
}

export async function submitManageRequest(request: Request, context?: AppLoadContext | null) {
  const locale = await getLocale(request)
  const submission = parseWithZod(await readFormData(request), { schema: ManageRequestSchema })
  await enforceRateLimit(getSql(), {
    action: 'manage_gift',
    ip: context?.clientIp ?? 'unknown',
    email: submission.status === 'success' ? submission.value.email : null,
  })
  if (submission.status !== 'success') {
    return data({ result: submission.reply(), sent: false }, { status: 400 })
  }
  await requestManageLink(submission.value.email, locale)
  return { result: submission.reply({ resetForm: true }), sent: true }
}

export async function loadManageToken(request: Request, token: string) {
  const locale = await getLocale(request)
  const valid = await isManageTokenValid(token)
  return data(
    { title: getServerT(locale)('donations:manage.title'), valid },
    { status: valid ? 200 : 410 },
  )
}

export async function spendManageToken(token: string) {
  try {
    const url = await openBillingPortal(token)
    if (!url) return data({ expired: true }, { status: 410 })
    return redirect(url, 303)
  } catch (error) {
    if (!isStripeUnavailable(error)) throw error
    console.error('donations: could not open the Billing Portal', error)
    return data(
      { expired: false, unavailable: true },
      { status: 503, headers: { 'Retry-After': '30' } },
    )
  }
}
