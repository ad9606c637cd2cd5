import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getLocale } from '#app/i18n/i18n.server'
import { getCampaignHeadline } from '#app/campaigns/campaigns.server'
import {
  checkConfirmToken,
  confirmSignature,
  type ConfirmState,
} from '#app/signatures/signatures.server'
import type { RouteHandle } from '#app/root'
import { askKey } from '#app/ladders/ladders.server'

// Plain HTML: this page works fully without the client runtime, so it ships none
// (docs/decisions/0104-no-hydration-on-supporter-pages.md).
export const handle: RouteHandle = { hydrate: false }

// GET only shows the token's state and a button; the POST confirms. Mail scanners open links,
// and must not confirm for the signer (docs/decisions/0103-confirmation-tokens.md).

const STATUS: Record<ConfirmState, number> = { valid: 200, unknown: 404, expired: 410, used: 410 }

export const meta: MetaFunction = () => [{ name: 'robots', content: 'noindex' }, { title: 'Writ' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = await getLocale(request)
  const { state, campaignSlug } = await checkConfirmToken(params.token ?? '')
  const campaign = campaignSlug ? await getCampaignHeadline(campaignSlug, locale) : undefined
  return data(
    { state, campaignSlug, headline: campaign?.headline },
    { status: STATUS[state], headers: { 'Referrer-Policy': 'no-referrer' } },
  )
}

export async function action({ request, params }: ActionFunctionArgs) {
  const locale = await getLocale(request)
  const result = await confirmSignature(params.token ?? '')
  if (result.ok) {
    return redirect(
      `/c/${result.campaignSlug}/thanks?confirmed=1&code=${encodeURIComponent(result.refCode)}&k=${askKey(result.refCode)}&lang=${locale}`,
      303,
    )
  }
  return data({ state: result.state }, { status: STATUS[result.state] })
}

export default function ConfirmRoute() {
  const loaded = useLoaderData<typeof loader>()
  const acted = useActionData<typeof action>()
  const { t } = useTranslation('petitions')
  const state = acted?.state ?? loaded.state
  if (state === 'valid') {
    return (
      <section className="confirm" aria-labelledby="confirm-title">
        <h1 id="confirm-title">{t('confirm.title')}</h1>
        {loaded.headline ? <p>{t('confirm.intro', { headline: loaded.headline })}</p> : null}
        <Form method="post">
          <button type="submit">{t('confirm.button')}</button>
        </Form>
      </section>
    )
  }
  return (
    <section className="confirm" aria-labelledby="confirm-title">
      <h1 id="confirm-title">{t(`confirm.${state}Title`)}</h1>
      <p>{t(`confirm.${state}`)}</p>
      {loaded.campaignSlug ? (
        <p>
          <Link to={`/c/${loaded.campaignSlug}`}>{loaded.headline ?? t('confirm.back')}</Link>
        </p>
      ) : (
        <p>
          <Link to="/">{t('confirm.home')}</Link>
        </p>
      )}
    </section>
  )
}
