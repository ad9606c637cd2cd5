import { data, redirect } from '@remix-run/node'
import type { AppLoadContext } from '@remix-run/node'
import { getLocale } from '#app/i18n/i18n.server'
import { campaignKindOf, signFromForm } from './petitions.server'
import { readFormData } from '#app/safety/request.server'

/**
 * The sign form's POST, shared by the campaign page and the embed. Success is a 303 to the
 * thank-you page (or the embed's own thanks), which works with and without JavaScript.
 */
export async function handleSignAction(
  request: Request,
  slug: string,
  context: AppLoadContext | undefined,
  { embed = false }: { embed?: boolean } = {},
) {
  const requestLocale = await getLocale(request)
  const formData = await readFormData(request)
  if (embed && (await campaignKindOf(slug, requestLocale)) === 'letter') {
    // The embed offers a link to the letter flow, never a petition form (a letter needs an address).
    return data(
      {
        result: { status: 'error' as const, error: { '': ['petitions:errors.letterOnFullPage'] } },
      },
      { status: 400 },
    )
  }
  const outcome = await signFromForm(slug, formData, {
    requestLocale,
    ip: context?.clientIp ?? null,
    protect: true,
  })
  const base = embed ? `/c/${slug}/embed` : `/c/${slug}/thanks`
  const lang = `lang=${requestLocale}`
  // The form's action ends in #sign-errors (so a failed no-JS submit lands on the error summary);
  // a redirect without a fragment would inherit it, so successes name their own: the main content.
  const main = '#main'
  switch (outcome.kind) {
    case 'not-found':
      throw new Response('Not found', { status: 404 })
    case 'closed':
      return data(
        { result: { status: 'error' as const, error: { '': ['petitions:errors.closed'] } } },
        { status: 409 },
      )
    case 'too-fast':
      return data(
        { result: { status: 'error' as const, error: { '': ['petitions:errors.tooFast'] } } },
        { status: 400 },
      )
    case 'turnstile':
      return outcome.result === 'failed'
        ? data(
            { result: { status: 'error' as const, error: { '': ['petitions:errors.turnstile'] } } },
            { status: 400 },
          )
        : data(
            { result: { status: 'error' as const, error: { '': ['errors.unavailable'] } } },
            { status: 503, headers: { 'Retry-After': '30' } },
          )
    case 'invalid':
      return data({ result: outcome.submission.reply() }, { status: 400 })
    case 'honeypot':
      return redirect(`${base}?signed=1&${lang}${main}`, 303)
    case 'done':
      if (outcome.result.status === 'already-signed')
        return redirect(`${base}?already=1&${lang}${main}`, 303)
      return redirect(
        `${base}?signed=1&code=${encodeURIComponent(outcome.result.refCode)}&${lang}${main}`,
        303,
      )
  }
}
