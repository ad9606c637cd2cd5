import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ErrorList, Field } from '#app/components/forms'
import { requireOrganizer } from '#app/http/session.server'
import { TwoFactorSchema } from '#app/organizers/schema'
import {
  confirmTwoFactor,
  disableTwoFactor,
  getTwoFactorState,
} from '#app/organizers/two-factor.server'
import { readFormData } from '#app/utils/request.server'

// Enrolment and management of the signed-in organizer's own two-factor sign-in. The key, its QR
// code and the recovery codes are secrets: never cached.

export const headers: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers({ 'Cache-Control': 'no-store' })
  const retryAfter = actionHeaders.get('Retry-After')
  if (retryAfter) headers.set('Retry-After', retryAfter)
  return headers
}

export async function loader({ request }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request)
  const state = await getTwoFactorState(organizer)
  return data({ state }, { headers: { 'Cache-Control': 'no-store' } })
}

export async function action({ request }: ActionFunctionArgs) {
  const organizer = await requireOrganizer(request)
  const formData = await readFormData(request)
  const submission = parseWithZod(formData, { schema: TwoFactorSchema })
  if (submission.status !== 'success') {
    return data(
      { form: submission.reply({ hideFields: ['code'] }), recoveryCodes: null },
      { status: 400 },
    )
  }
  const noStore = { 'Cache-Control': 'no-store' }
  if (submission.value.intent === 'confirm') {
    const result = await confirmTwoFactor(organizer, submission.value.code)
    if (result.status === 'already_enrolled')
      throw redirect('/admin/two-factor', { headers: noStore })
    if (result.status === 'invalid') {
      return data(
        {
          form: submission.reply({ formErrors: ['admin:twoFactor.invalid'], hideFields: ['code'] }),
          recoveryCodes: null,
        },
        { status: 400, headers: noStore },
      )
    }
    return data({ form: null, recoveryCodes: result.recoveryCodes }, { headers: noStore })
  }
  const result = await disableTwoFactor(organizer, submission.value.code)
  if (result.status === 'ok')
    throw redirect('/admin/two-factor?done=disabled', { headers: noStore })
  const limited = result.status === 'rate_limited'
  return data(
    {
      form: submission.reply({
        formErrors: [limited ? 'admin:twoFactor.rateLimited' : 'admin:twoFactor.invalid'],
        hideFields: ['code'],
      }),
      recoveryCodes: null,
    },
    {
      status: limited ? 429 : 400,
      headers: limited ? { ...noStore, 'Retry-After': String(result.retryAfter) } : noStore,
    },
  )
}

function CodeForm({
  intent,
  submitLabel,
  lastResult,
}: {
  intent: 'confirm' | 'disable'
  submitLabel: string
  lastResult: ReturnType<typeof useActionData<typeof action>>
}) {
  const { t } = useTranslation('admin')
  const [form, fields] = useForm({
    id: `two-factor-${intent}`,
    lastResult: lastResult?.form,
    constraint: getZodConstraint(TwoFactorSchema),
    shouldRevalidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: TwoFactorSchema }),
  })
  return (
    <Form method="post" {...getFormProps(form)}>
      <div role="alert" aria-live="assertive">
        {form.errors?.length ? (
          <div className="banner banner-error" id={form.errorId}>
            <ErrorList errors={form.errors} />
          </div>
        ) : null}
      </div>
      <input type="hidden" name="intent" value={intent} />
      <Field
        label={t('twoFactor.code')}
        hint={intent === 'disable' ? t('twoFactor.codeHint') : undefined}
        inputProps={{
          ...getInputProps(fields.code, { type: 'text' }),
          autoComplete: 'one-time-code',
          autoCapitalize: 'none',
          spellCheck: false,
        }}
        errors={fields.code.errors}
      />
      <button type="submit" className="button">
        {submitLabel}
      </button>
    </Form>
  )
}

export default function TwoFactorPage() {
  const { state } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const { t } = useTranslation('admin')

  if (actionData?.recoveryCodes) {
    return (
      <section className="narrow" aria-labelledby="two-factor-title">
        <h1 id="two-factor-title">{t('twoFactor.title')}</h1>
        <p className="banner banner-ok" role="status">
          {t('twoFactor.enabled')}
        </p>
        <h2>{t('twoFactor.recoveryTitle')}</h2>
        <p>{t('twoFactor.recoveryIntro')}</p>
        <ul className="recovery-codes" aria-label={t('twoFactor.recoveryTitle')}>
          {actionData.recoveryCodes.map((code) => (
            <li key={code}>
              <code>{code}</code>
            </li>
          ))}
        </ul>
        <p>
          <Link to="/admin">{t('twoFactor.continue')}</Link>
        </p>
      </section>
    )
  }

  return (
    <section className="narrow" aria-labelledby="two-factor-title">
      <h1 id="two-factor-title">{t('twoFactor.title')}</h1>
      <div role="status">
        {searchParams.get('done') === 'disabled' && state.status === 'enrolling' ? (
          <p className="banner banner-ok">{t('twoFactor.disabled')}</p>
        ) : null}
      </div>
      {state.status === 'enrolled' ? (
        <>
          <p>{t('twoFactor.enabled')}</p>
          <p>{t('twoFactor.codesLeft', { count: state.recoveryCodesLeft })}</p>
          <h2>{t('twoFactor.disableTitle')}</h2>
          <p>{t('twoFactor.disableIntro')}</p>
          {state.required ? <p>{t('twoFactor.disableRequired')}</p> : null}
          <CodeForm intent="disable" submitLabel={t('twoFactor.disable')} lastResult={actionData} />
        </>
      ) : (
        <>
          {state.required ? (
            <p className="banner banner-error">{t('twoFactor.requiredBanner')}</p>
          ) : null}
          <p>{t('twoFactor.intro')}</p>
          <p>{t('twoFactor.step1')}</p>
          <div
            className="qr-code"
            role="img"
            aria-label={t('twoFactor.qrLabel')}
            // qrcode's own SVG, drawn on the server from our otpauth URI: paths only, no script
            dangerouslySetInnerHTML={{ __html: state.qrSvg }}
          />
          <p>{t('twoFactor.step2')}</p>
          <p>
            <span className="visually-hidden">{t('twoFactor.secretLabel')}: </span>
            <code className="totp-secret" data-testid="totp-secret">
              {state.secret}
            </code>
          </p>
          <p>{t('twoFactor.step3')}</p>
          <CodeForm intent="confirm" submitLabel={t('twoFactor.enable')} lastResult={actionData} />
        </>
      )}
    </section>
  )
}
