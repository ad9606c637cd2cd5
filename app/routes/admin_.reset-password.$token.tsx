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
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ErrorList, Field } from '#app/components/forms'
import { isResetTokenValid, resetPassword } from '#app/organizers/organizers.server'
import { ResetPasswordSchema } from '#app/organizers/schema'

import adminStyles from '../styles/admin.css'
import { readFormData } from '#app/utils/request.server'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: adminStyles }]

export const meta: MetaFunction = () => [
  { title: 'Writ — Choose a new password' },
  { name: 'referrer', content: 'no-referrer' },
]

export async function loader({ params }: LoaderFunctionArgs) {
  const valid = await isResetTokenValid(params.token ?? '')
  return data({ valid }, { status: valid ? 200 : 410, headers: { 'Cache-Control': 'no-store' } })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readFormData(request)
  const submission = parseWithZod(formData, { schema: ResetPasswordSchema })
  if (submission.status !== 'success') {
    return data(submission.reply({ hideFields: ['password', 'confirm'] }), { status: 400 })
  }
  const ok = await resetPassword(params.token ?? '', submission.value.password)
  if (!ok) {
    return data(
      submission.reply({
        formErrors: ['admin:reset.invalid'],
        hideFields: ['password', 'confirm'],
      }),
      { status: 410 },
    )
  }
  throw redirect('/admin/login?reset=1')
}

export default function ResetPasswordPage() {
  const { valid } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const { t } = useTranslation('admin')
  const [form, fields] = useForm({
    id: 'reset-password',
    lastResult,
    constraint: getZodConstraint(ResetPasswordSchema),
    shouldRevalidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ResetPasswordSchema }),
  })
  return (
    <section className="narrow" aria-labelledby="reset-title">
      <h1 id="reset-title">{t('reset.title')}</h1>
      {!valid ? (
        <>
          <p className="banner banner-error">{t('reset.invalid')}</p>
          <p>
            <Link to="/admin/forgot-password">{t('reset.again')}</Link>
          </p>
        </>
      ) : (
        <Form method="post" {...getFormProps(form)}>
          {form.errors?.length ? (
            <div className="banner banner-error" role="alert" id={form.errorId}>
              <ErrorList errors={form.errors} />
            </div>
          ) : null}
          <Field
            label={t('reset.password')}
            hint={t('reset.hint')}
            inputProps={{
              ...getInputProps(fields.password, { type: 'password' }),
              autoComplete: 'new-password',
            }}
            errors={fields.password.errors}
          />
          <Field
            label={t('reset.confirm')}
            inputProps={{
              ...getInputProps(fields.confirm, { type: 'password' }),
              autoComplete: 'new-password',
            }}
            errors={fields.confirm.errors}
          />
          <button type="submit" className="button">
            {t('reset.submit')}
          </button>
        </Form>
      )}
    </section>
  )
}
