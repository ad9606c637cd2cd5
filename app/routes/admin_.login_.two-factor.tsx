import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ErrorList, Field } from '#app/components/forms'
import { SecondStepSchema } from '#app/organizers/schema'
import { readFormData } from '#app/utils/request.server'
import { completeSecondStep, readPendingLogin } from '#app/http/session.server'

import adminStyles from '../styles/admin.css'

// The second sign-in step. Reachable only with the short-lived cookie the password step sets.

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: adminStyles }]

export const meta: MetaFunction = () => [
  { title: 'Writ — Two-factor sign-in' },
  { name: 'robots', content: 'noindex' },
]

export const headers: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers({ 'Cache-Control': 'no-store' })
  const retryAfter = actionHeaders.get('Retry-After')
  if (retryAfter) headers.set('Retry-After', retryAfter)
  return headers
}

/** Without a pending sign-in (never started, or older than five minutes): back to the password. */
async function requirePendingLogin(request: Request) {
  if (!(await readPendingLogin(request))) {
    throw redirect('/admin/login', { headers: { 'Cache-Control': 'no-store' } })
  }
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePendingLogin(request)
  return data(null, { headers: { 'Cache-Control': 'no-store' } })
}

export async function action({ request }: ActionFunctionArgs) {
  await requirePendingLogin(request)
  const formData = await readFormData(request)
  const submission = parseWithZod(formData, { schema: SecondStepSchema })
  if (submission.status !== 'success') {
    return data(submission.reply({ hideFields: ['code'] }), { status: 400 })
  }
  const result = await completeSecondStep(request, submission.value.code)
  if (result.status === 'expired') {
    throw redirect('/admin/login', { headers: { 'Cache-Control': 'no-store' } })
  }
  if (result.status === 'rate_limited') {
    return data(
      submission.reply({ formErrors: ['admin:twoFactor.rateLimited'], hideFields: ['code'] }),
      { status: 429, headers: { 'Retry-After': String(result.retryAfter) } },
    )
  }
  if (result.status === 'invalid') {
    return data(
      submission.reply({ formErrors: ['admin:twoFactor.invalid'], hideFields: ['code'] }),
      { status: 401 },
    )
  }
  const headers = new Headers({ 'Cache-Control': 'no-store' })
  for (const cookie of result.setCookies) headers.append('Set-Cookie', cookie)
  throw redirect(result.redirectTo, { headers })
}

export default function SecondStepPage() {
  const lastResult = useActionData<typeof action>()
  const { t } = useTranslation('admin')
  const [form, fields] = useForm({
    id: 'second-step',
    lastResult,
    constraint: getZodConstraint(SecondStepSchema),
    shouldRevalidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SecondStepSchema }),
  })
  return (
    <section className="narrow" aria-labelledby="second-step-title">
      <h1 id="second-step-title">{t('twoFactor.loginTitle')}</h1>
      <p>{t('twoFactor.loginIntro')}</p>
      <Form method="post" {...getFormProps(form)}>
        <div role="alert" aria-live="assertive">
          {form.errors?.length ? (
            <div className="banner banner-error" id={form.errorId}>
              <ErrorList errors={form.errors} />
            </div>
          ) : null}
        </div>
        <Field
          label={t('twoFactor.code')}
          hint={t('twoFactor.codeHint')}
          inputProps={{
            ...getInputProps(fields.code, { type: 'text' }),
            autoComplete: 'one-time-code',
            autoCapitalize: 'none',
            spellCheck: false,
          }}
          errors={fields.code.errors}
        />
        <button type="submit" className="button">
          {t('twoFactor.verify')}
        </button>
      </Form>
      <p>
        <Link to="/admin/login">{t('twoFactor.startOver')}</Link>
      </p>
    </section>
  )
}
