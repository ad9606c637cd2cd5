import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { createApiKey, listKeys, revokeKey } from '#app/api/api.server'
import { API_SCOPES, CreateKeyInput } from '#app/api/schemas'
import { ErrorList, Field } from '#app/components/forms'
import { requireOrganizer } from '#app/http/session.server'
import { readFormData } from '#app/utils/request.server'

// API keys: owners only. A new key is shown once, in the action's answer (never in a URL).

export async function loader({ request }: LoaderFunctionArgs) {
  await requireOrganizer(request, { role: 'owner' })
  return { keys: await listKeys() }
}

export async function action({ request }: ActionFunctionArgs) {
  const me = await requireOrganizer(request, { role: 'owner' })
  const formData = await readFormData(request)
  if (formData.get('intent') === 'revoke') {
    const ok = await revokeKey(String(formData.get('keyId') ?? ''), me.id)
    if (!ok) throw new Response('Key not found', { status: 404 })
    throw redirect('/admin/api?done=revoked')
  }
  const submission = parseWithZod(formData, { schema: CreateKeyInput })
  if (submission.status !== 'success') {
    return data({ result: submission.reply(), created: null }, { status: 400 })
  }
  const created = await createApiKey(submission.value, { organizerId: me.id, via: 'admin' })
  return data(
    { result: submission.reply({ resetForm: true }), created: { key: created.key } },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

export default function ApiKeys() {
  const { keys } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const { t, i18n } = useTranslation('api')
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' })
  const [form, fields] = useForm({
    id: 'create-key',
    lastResult: actionData?.result,
    constraint: getZodConstraint(CreateKeyInput),
    defaultValue: { rateLimitPerMinute: '600' },
    shouldRevalidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CreateKeyInput }),
  })
  const done = searchParams.get('done')
  return (
    <>
      <h1>{t('keys.title')}</h1>
      <p>{t('keys.intro')}</p>
      <div role="status">
        {done === 'revoked' ? <p className="banner banner-ok">{t('keys.done.revoked')}</p> : null}
        {actionData?.created ? (
          <div className="banner banner-ok">
            <p>{t('keys.shownOnce')}</p>
            <p>
              <code data-testid="new-api-key">{actionData.created.key}</code>
            </p>
          </div>
        ) : null}
      </div>
      {keys.length === 0 ? (
        <p>{t('keys.none')}</p>
      ) : (
        <div className="table-wrap" role="region" aria-labelledby="keys-caption" tabIndex={0}>
          <table>
            <caption id="keys-caption">{t('keys.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('keys.name')}</th>
                <th scope="col">{t('keys.prefix')}</th>
                <th scope="col">{t('keys.scopes')}</th>
                <th scope="col">{t('keys.creator')}</th>
                <th scope="col">{t('keys.created')}</th>
                <th scope="col">{t('keys.lastUsed')}</th>
                <th scope="col">{t('keys.state')}</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id}>
                  <th scope="row">{k.name}</th>
                  <td>
                    <code>{k.prefix}…</code>
                  </td>
                  <td>{k.scopes.join(', ')}</td>
                  <td>{k.creatorEmail ?? t('keys.commandLine')}</td>
                  <td>{date.format(new Date(k.createdAt))}</td>
                  <td>{k.lastUsedAt ? date.format(new Date(k.lastUsedAt)) : t('keys.never')}</td>
                  <td>
                    {k.revokedAt ? (
                      t('keys.revoked', { when: date.format(new Date(k.revokedAt)) })
                    ) : (
                      <Form method="post">
                        <input type="hidden" name="keyId" value={k.id} />
                        <button type="submit" name="intent" value="revoke" className="button-small">
                          {t('keys.revoke', { name: k.name })}
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t('keys.create')}</h2>
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="create" />
        {form.errors?.length ? (
          <div className="banner banner-error" role="alert" id={form.errorId}>
            <ErrorList errors={form.errors} />
          </div>
        ) : null}
        <Field
          label={t('keys.name')}
          inputProps={getInputProps(fields.name, { type: 'text' })}
          errors={fields.name.errors}
        />
        <fieldset
          aria-invalid={fields.scopes.errors ? true : undefined}
          aria-describedby={fields.scopes.errors ? fields.scopes.errorId : undefined}
        >
          <legend>{t('keys.scopes')}</legend>
          {API_SCOPES.map((scope) => (
            <div key={scope} className="checkbox-field">
              <input type="checkbox" id={`scope-${scope}`} name="scopes" value={scope} />
              <label htmlFor={`scope-${scope}`}>
                <code>{scope}</code>: {t(`keys.scopeHelp.${scope}`)}
              </label>
            </div>
          ))}
          <ErrorList id={fields.scopes.errorId} errors={fields.scopes.errors} />
        </fieldset>
        <Field
          label={t('keys.rateLimit')}
          inputProps={getInputProps(fields.rateLimitPerMinute, { type: 'number' })}
          errors={fields.rateLimitPerMinute.errors}
        />
        <button type="submit" className="button">
          {t('keys.submit')}
        </button>
      </Form>
    </>
  )
}
