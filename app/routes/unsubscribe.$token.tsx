import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { supporterIdFromToken, unsubscribeByToken } from '#app/safety/unsubscribe.server'

export const meta: MetaFunction = () => [
  { title: 'Unsubscribe · Writ' },
  { name: 'robots', content: 'noindex' },
]

const invalid = () => data('This unsubscribe link is not valid.', { status: 404 })

// GET shows a button and changes nothing: link scanners must not unsubscribe anyone.
export async function loader({ params }: LoaderFunctionArgs) {
  if (!supporterIdFromToken(params.token)) throw invalid()
  return { ok: true }
}

// POST unsubscribes at once, without login: the button below, or a mail provider's one-click.
export async function action({ params }: ActionFunctionArgs) {
  if (!(await unsubscribeByToken(params.token))) throw invalid()
  return { done: true }
}

export default function Unsubscribe() {
  useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t } = useTranslation('safety')
  return (
    <section aria-labelledby="unsub-title">
      <h1 id="unsub-title">{t('unsubscribe.title')}</h1>
      {result?.done ? (
        <p role="status" className="banner banner-ok">
          {t('unsubscribe.done')}
        </p>
      ) : (
        <Form method="post">
          <p>{t('unsubscribe.explain')}</p>
          <button type="submit">{t('unsubscribe.button')}</button>
        </Form>
      )}
    </section>
  )
}
