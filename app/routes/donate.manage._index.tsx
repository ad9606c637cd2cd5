import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, useActionData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ErrorList, Field } from '#app/components/forms'
import { TestModeBanner } from '#app/donations/donate-page'
import { manageTitle, requestManageLinkFromForm } from '#app/donations/donate-form.server'
import { ManageRequestSchema } from '#app/donations/schema'
import { getLocale } from '#app/i18n/i18n.server'
import { readFormData } from '#app/utils/request.server'
import { rateLimitRefusal } from '#app/http/rate-limit.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.title ?? 'Manage'} · Writ` },
]

export async function loader({ request }: LoaderFunctionArgs) {
  return { title: manageTitle(await getLocale(request)) }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const locale = await getLocale(request)
  const outcome = await requestManageLinkFromForm(await readFormData(request), {
    locale,
    ip: context?.clientIp ?? null,
  })
  if (outcome.kind === 'limited') throw rateLimitRefusal(outcome.decision)
  if (outcome.kind === 'invalid') {
    return data({ result: outcome.submission.reply(), sent: false }, { status: 400 })
  }
  return { result: outcome.submission.reply({ resetForm: true }), sent: true }
}

export default function ManageMonthlyGift() {
  const { t } = useTranslation('donations')
  const actionData = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'manage-donation',
    lastResult: actionData?.result,
    constraint: getZodConstraint(ManageRequestSchema),
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ManageRequestSchema }),
  })
  return (
    <>
      <h1>{t('manage.title')}</h1>
      <TestModeBanner />
      {actionData?.sent ? (
        <p className="banner banner-ok" role="status">
          {t('manage.sent')}
        </p>
      ) : null}
      <p>{t('manage.intro')}</p>
      <Form method="post" className="form" {...getFormProps(form)}>
        <ErrorList id={form.errorId} errors={form.errors} />
        <Field
          label={t('manage.email')}
          inputProps={{ ...getInputProps(fields.email, { type: 'email' }), autoComplete: 'email' }}
          errors={fields.email.errors}
        />
        <div>
          <button type="submit">{t('manage.submit')}</button>
        </div>
      </Form>
    </>
  )
}
