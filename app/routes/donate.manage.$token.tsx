import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { TestModeBanner } from '#app/donations/donate-page'
import { getManageToken, openBillingPortalFor } from '#app/donations/donate-form.server'
import { getLocale } from '#app/i18n/i18n.server'

// The emailed link shows a button rather than redirecting on GET, so that mail scanners that
// follow links do not spend the one-time token.
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.title ?? 'Manage'} · Writ` },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const page = await getManageToken(params.token ?? '', await getLocale(request))
  return data(page, { status: page.valid ? 200 : 410 })
}

export async function action({ params }: ActionFunctionArgs) {
  const outcome = await openBillingPortalFor(params.token ?? '')
  switch (outcome.kind) {
    case 'portal':
      return redirect(outcome.url, 303)
    case 'expired':
      return data({ expired: true }, { status: 410 })
    case 'unavailable':
      return data(
        { expired: false, unavailable: true },
        { status: 503, headers: { 'Retry-After': '30' } },
      )
  }
}

export default function OpenMonthlyGift() {
  const { t } = useTranslation('donations')
  const { valid } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const expired = !valid || (actionData && 'expired' in actionData && actionData.expired)
  const unavailable = actionData && 'unavailable' in actionData && actionData.unavailable
  return (
    <>
      <h1>{t('manage.title')}</h1>
      <TestModeBanner />
      {unavailable ? (
        <p className="banner banner-error" role="alert">
          {t('page.unavailable')}
        </p>
      ) : null}
      {expired ? (
        <>
          <p className="banner banner-warn" role="status">
            {t('manage.expired')}
          </p>
          <p>
            <Link to="/donate/manage">{t('manage.requestNew')}</Link>
          </p>
        </>
      ) : (
        <>
          <p>{t('manage.openIntro')}</p>
          <Form method="post" reloadDocument>
            <button type="submit">{t('manage.open')}</button>
          </Form>
        </>
      )}
    </>
  )
}
