import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { TestModeBanner } from '#app/donations/donate-page'
import { loadManageToken, spendManageToken } from '#app/donations/donate-route.server'

// The emailed link shows a button rather than redirecting on GET, so that mail scanners that
// follow links do not spend the one-time token.
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.title ?? 'Manage'} · Writ` },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  return loadManageToken(request, params.token ?? '')
}

export async function action({ params }: ActionFunctionArgs) {
  return spendManageToken(params.token ?? '')
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
