import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CheckboxField, ErrorList, Field } from '#app/components/forms'
import { requireOrganizer } from '#app/http/session.server'
import { eraseSupporter, searchSupporter } from '#app/privacy/privacy.server'
import { EraseSupporterSchema, PrivacySearchSchema } from '#app/privacy/schema'
import { readFormData } from '#app/utils/request.server'

// Searching is a POST so that supporters' emails never land in URLs or access logs.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireOrganizer(request, { pii: true })
  return null
}

export async function action({ request }: ActionFunctionArgs) {
  const organizer = await requireOrganizer(request, { pii: true })
  const formData = await readFormData(request)
  if (formData.get('intent') === 'erase') {
    const submission = parseWithZod(formData, { schema: EraseSupporterSchema })
    if (submission.status !== 'success') {
      return data({ kind: 'erase-error' as const, result: submission.reply() }, { status: 400 })
    }
    const counts = await eraseSupporter(organizer, submission.value.supporterId)
    if (!counts) throw new Response('Supporter not found', { status: 404 })
    return { kind: 'erased' as const, counts }
  }
  const submission = parseWithZod(formData, { schema: PrivacySearchSchema })
  if (submission.status !== 'success') {
    return data(
      { kind: 'search' as const, result: submission.reply(), supporter: null },
      { status: 400 },
    )
  }
  const supporter = await searchSupporter(submission.value.email)
  return { kind: 'search' as const, result: submission.reply(), supporter: supporter ?? null }
}

export default function PrivacyRequests() {
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation('admin')
  const [form, fields] = useForm({
    id: 'privacy-search',
    lastResult: actionData?.kind === 'search' ? actionData.result : undefined,
    constraint: getZodConstraint(PrivacySearchSchema),
    shouldRevalidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: PrivacySearchSchema }),
  })
  const [eraseForm, eraseFields] = useForm({
    id: 'privacy-erase',
    lastResult: actionData?.kind === 'erase-error' ? actionData.result : undefined,
    constraint: getZodConstraint(EraseSupporterSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: EraseSupporterSchema }),
  })
  const supporter = actionData?.kind === 'search' ? actionData.supporter : null
  return (
    <>
      <h1>{t('privacy.title')}</h1>
      <p>{t('privacy.intro')}</p>
      <div role="status">
        {actionData?.kind === 'erased' ? (
          <p className="banner banner-ok">{t('privacy.erased', actionData.counts)}</p>
        ) : null}
      </div>
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="search" />
        <Field
          label={t('privacy.email')}
          inputProps={{ ...getInputProps(fields.email, { type: 'email' }), autoComplete: 'off' }}
          errors={fields.email.errors}
        />
        <button type="submit" className="button">
          {t('privacy.search')}
        </button>
      </Form>
      {actionData?.kind === 'search' && actionData.result.status === 'success' && !supporter ? (
        <p role="status">{t('privacy.notFound')}</p>
      ) : null}
      {supporter ? (
        <section aria-labelledby="supporter-title">
          <h2 id="supporter-title">{t('privacy.found')}</h2>
          <dl className="facts-list">
            <dt>{t('privacy.name')}</dt>
            <dd>{[supporter.firstName, supporter.lastName].filter(Boolean).join(' ') || '—'}</dd>
            <dt>{t('privacy.email')}</dt>
            <dd>{supporter.email}</dd>
            <dt>{t('privacy.place')}</dt>
            <dd>
              {[supporter.city, supporter.state, supporter.zip].filter(Boolean).join(', ') || '—'}
            </dd>
            <dt>{t('privacy.activity')}</dt>
            <dd>
              {t('privacy.counts', {
                signatures: supporter.signatures,
                letters: supporter.letters,
                donations: supporter.donations,
              })}
            </dd>
          </dl>
          <p>
            <a href={`/admin/privacy/${supporter.id}/export.json`} download className="button">
              {t('privacy.export')}
            </a>
          </p>
          <h3>{t('privacy.eraseTitle')}</h3>
          <p>{t('privacy.eraseIntro')}</p>
          <Form method="post" {...getFormProps(eraseForm)}>
            <input type="hidden" name="intent" value="erase" />
            <input type="hidden" name="supporterId" value={supporter.id} />
            {eraseForm.errors?.length ? <ErrorList errors={eraseForm.errors} /> : null}
            <CheckboxField
              label={t('privacy.confirm')}
              inputProps={getInputProps(eraseFields.confirm, { type: 'checkbox' })}
              errors={eraseFields.confirm.errors}
            />
            <button type="submit" className="button button-danger">
              {t('privacy.erase')}
            </button>
          </Form>
        </section>
      ) : null}
    </>
  )
}
