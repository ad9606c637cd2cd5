import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import {
  type LinksFunction,
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ErrorList, Field } from '#app/components/forms'
import { safeRedirect } from '#app/organizers/auth.server'
import { LoginSchema } from '#app/organizers/schema'

import adminStyles from '../styles/admin.css'
import { readFormData } from '#app/utils/request.server'
import { getOrganizer, signIn, startSecondStep } from '#app/http/session.server'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: adminStyles }]

export const meta: MetaFunction = () => [{ title: 'Writ — Organizer sign-in' }]

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getOrganizer(request)) {
    throw redirect(safeRedirect(new URL(request.url).searchParams.get('redirectTo')))
  }
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readFormData(request)
  const submission = parseWithZod(formData, { schema: LoginSchema })
  if (submission.status !== 'success') {
    return data(submission.reply({ hideFields: ['password'] }), { status: 400 })
  }
  const result = await signIn(request, context, submission.value)
  if (result.status === 'rate_limited') {
    return data(
      submission.reply({ formErrors: ['admin:login.rateLimited'], hideFields: ['password'] }),
      { status: 429, headers: { 'Retry-After': String(result.retryAfter) } },
    )
  }
  if (result.status === 'invalid') {
    return data(
      submission.reply({ formErrors: ['admin:login.invalid'], hideFields: ['password'] }),
      { status: 401 },
    )
  }
  if (result.status === 'two_factor') {
    throw redirect('/admin/login/two-factor', {
      headers: {
        'Set-Cookie': await startSecondStep(result.organizerId, submission.value.redirectTo),
        'Cache-Control': 'no-store',
      },
    })
  }
  throw redirect(safeRedirect(submission.value.redirectTo), {
    headers: { 'Set-Cookie': result.setCookie },
  })
}

export default function LoginPage() {
  const lastResult = useActionData<typeof action>()
  const { t } = useTranslation('admin')
  const [searchParams] = useSearchParams()
  const [form, fields] = useForm({
    id: 'login',
    lastResult,
    constraint: getZodConstraint(LoginSchema),
    shouldRevalidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: LoginSchema }),
  })
  const reset = searchParams.get('reset') === '1'
  return (
    <section className="narrow" aria-labelledby="login-title">
      <h1 id="login-title">{t('login.title')}</h1>
      {reset ? (
        <p className="banner banner-ok" role="status">
          {t('reset.done')}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)}>
        <div role="alert" aria-live="assertive">
          {form.errors?.length ? (
            <div className="banner banner-error" id={form.errorId}>
              <ErrorList errors={form.errors} />
            </div>
          ) : null}
        </div>
        <input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? '/admin'} />
        <Field
          label={t('login.email')}
          inputProps={{
            ...getInputProps(fields.email, { type: 'email' }),
            autoComplete: 'username',
          }}
          errors={fields.email.errors}
        />
        <Field
          label={t('login.password')}
          inputProps={{
            ...getInputProps(fields.password, { type: 'password' }),
            autoComplete: 'current-password',
          }}
          errors={fields.password.errors}
        />
        <button type="submit" className="button">
          {t('login.submit')}
        </button>
      </Form>
      <p>
        <Link to="/admin/forgot-password">{t('login.forgot')}</Link>
      </p>
    </section>
  )
}
