import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import {
  data,
  type ActionFunctionArgs,
  type LinksFunction,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ErrorList, Field } from '#app/components/forms'
import { getLocale } from '#app/i18n/i18n.server'
import { checkResetLimit } from '#app/organizers/auth.server'
import { requestPasswordReset } from '#app/organizers/organizers.server'
import { ForgotPasswordSchema } from '#app/organizers/schema'
import { clientIp } from '#app/http/session.server'

import adminStyles from '../styles/admin.css'
import { readFormData } from '#app/utils/request.server'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: adminStyles }]

export const meta: MetaFunction = () => [{ title: 'Writ — Reset your password' }]

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readFormData(request)
  const submission = parseWithZod(formData, { schema: ForgotPasswordSchema })
  if (submission.status !== 'success') {
    return data({ result: submission.reply(), sent: false }, { status: 400 })
  }
  const retryAfter = await checkResetLimit({
    email: submission.value.email,
    ip: clientIp(context),
  })
  if (retryAfter !== null) {
    return data(
      { result: submission.reply({ formErrors: ['admin:login.rateLimited'] }), sent: false },
      { status: 429, headers: { 'Retry-After': String(retryAfter) } },
    )
  }
  await requestPasswordReset(submission.value.email, await getLocale(request))
  // The same answer whether or not the email belongs to an organizer.
  return { result: submission.reply({ resetForm: true }), sent: true }
}

export default function ForgotPasswordPage() {
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation('admin')
  const [form, fields] = useForm({
    id: 'forgot-password',
    lastResult: actionData?.result,
    constraint: getZodConstraint(ForgotPasswordSchema),
    shouldRevalidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ForgotPasswordSchema }),
  })
  return (
    <section className="narrow" aria-labelledby="forgot-title">
      <h1 id="forgot-title">{t('forgot.title')}</h1>
      <div role="status">
        {actionData?.sent ? <p className="banner banner-ok">{t('forgot.sent')}</p> : null}
      </div>
      <p>{t('forgot.intro')}</p>
      <Form method="post" {...getFormProps(form)}>
        {form.errors?.length ? (
          <div className="banner banner-error" role="alert" id={form.errorId}>
            <ErrorList errors={form.errors} />
          </div>
        ) : null}
        <Field
          label={t('login.email')}
          inputProps={{ ...getInputProps(fields.email, { type: 'email' }), autoComplete: 'email' }}
          errors={fields.email.errors}
        />
        <button type="submit" className="button">
          {t('forgot.submit')}
        </button>
      </Form>
      <p>
        <Link to="/admin/login">{t('forgot.back')}</Link>
      </p>
    </section>
  )
}
