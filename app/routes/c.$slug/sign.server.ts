import { data, redirect } from '@remix-run/node'
import { rateLimitRefusal } from '#app/http/rate-limit.server'
import { isLocale, type Locale } from '#app/i18n/config'
import type { CampaignPage } from '#app/campaigns/campaigns.server'
import { decoyRefCode, signFromForm } from '#app/signatures/signatures.server'

// The sign form's POST as HTTP, shared by the campaign page and the embed. Success is a 303 to the
// thank-you page (or the embed's own thanks), which works with and without JavaScript.

/** The locale a form was filled in (its hidden field), else the request's. */
export function formLocale(formData: FormData, requestLocale: Locale): Locale {
  const value = formData.get('locale')
  return isLocale(value) ? value : requestLocale
}

export async function signAction({
  slug,
  formData,
  requestLocale,
  ip,
  campaign,
  embed = false,
}: {
  slug: string
  formData: FormData
  requestLocale: Locale
  ip: string | null
  /** read in formLocale(formData, requestLocale); null when there is no public campaign */
  campaign: CampaignPage | null
  embed?: boolean
}) {
  const outcome = await signFromForm(slug, formData, {
    requestLocale,
    ip,
    protect: true,
    campaign,
  })
  const base = embed ? `/c/${slug}/embed` : `/c/${slug}/thanks`
  const lang = `lang=${requestLocale}`
  // The form's action ends in #sign-errors (so a failed no-JS submit lands on the error summary);
  // a redirect without a fragment would inherit it, so successes name their own: the main content.
  const main = '#main'
  // A first signer's redirect carries their personal code. Everyone else gets a decoy code, so a
  // repeat signer (or a bot) lands on the same page as a first signer: no `already` to reveal who
  // signed.
  const thanks = (code: string) =>
    redirect(`${base}?signed=1&code=${encodeURIComponent(code)}&${lang}${main}`, 303)
  switch (outcome.kind) {
    case 'not-found':
      throw new Response('Not found', { status: 404 })
    case 'closed':
      return formError('petitions:errors.closed', 409)
    case 'too-fast':
      return formError('petitions:errors.tooFast', 400)
    case 'turnstile':
      return outcome.result === 'failed'
        ? formError('petitions:errors.turnstile', 400)
        : data(
            { result: { status: 'error' as const, error: { '': ['errors.unavailable'] } } },
            { status: 503, headers: { 'Retry-After': '30' } },
          )
    case 'limited':
      throw rateLimitRefusal(outcome.decision)
    case 'invalid':
      return data({ result: outcome.submission.reply() }, { status: 400 })
    case 'honeypot':
      return thanks(decoyRefCode())
    case 'done':
      return thanks(outcome.result.status === 'signed' ? outcome.result.refCode : decoyRefCode())
  }
}

/** An error for the whole form (not one field), as the sign form shows it. */
export function formError(key: string, status: number) {
  return data({ result: { status: 'error' as const, error: { '': [key] } } }, { status })
}
