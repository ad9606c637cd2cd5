import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { ErrorList, Field } from '#app/components/forms'
import { requireOrganizer } from '#app/http/session.server'
import { readFormData } from '#app/utils/request.server'
import { WEBHOOK_EVENTS, WebhookEndpointSchema } from '#app/webhooks/schema'
import {
  changeWebhookEndpoint,
  createWebhookEndpoint,
  listEndpointsWithAttempts,
  resendWebhookMessage,
  rotateWebhookSecret,
} from '#app/webhooks/webhooks.server'

// Webhook endpoints: owners only. A secret is shown once, in the action's answer.

const ManageSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.enum(['enable', 'disable', 'delete', 'rotate']), endpointId: z.uuid() }),
  z.object({
    intent: z.literal('resend'),
    endpointId: z.uuid(),
    messageId: z.string().regex(/^\d+$/),
  }),
])

export async function loader({ request }: LoaderFunctionArgs) {
  await requireOrganizer(request, { role: 'owner' })
  return { endpoints: await listEndpointsWithAttempts() }
}

export async function action({ request }: ActionFunctionArgs) {
  const me = await requireOrganizer(request, { role: 'owner' })
  const formData = await readFormData(request)
  if (formData.get('intent') !== 'create') {
    const parsed = ManageSchema.safeParse(Object.fromEntries(formData))
    if (!parsed.success) throw new Response('Invalid request', { status: 400 })
    const v = parsed.data
    if (v.intent === 'resend') {
      if (!(await resendWebhookMessage(v.endpointId, v.messageId))) {
        throw new Response('Message not found', { status: 404 })
      }
      throw redirect('/admin/webhooks?done=resent')
    }
    if (v.intent === 'rotate') {
      const rotated = await rotateWebhookSecret(v.endpointId, me.id)
      if (rotated.kind === 'not-found') throw new Response('Endpoint not found', { status: 404 })
      return data(
        { result: null, secret: { url: rotated.url, value: rotated.secret } },
        { headers: { 'Cache-Control': 'no-store' } },
      )
    }
    if (!(await changeWebhookEndpoint(v.endpointId, v.intent, me.id))) {
      throw new Response('Endpoint not found', { status: 404 })
    }
    throw redirect(`/admin/webhooks?done=${v.intent}`)
  }
  const submission = parseWithZod(formData, { schema: WebhookEndpointSchema })
  if (submission.status !== 'success') {
    return data({ result: submission.reply(), secret: null }, { status: 400 })
  }
  const created = await createWebhookEndpoint({ ...submission.value, organizerId: me.id })
  if (created.kind === 'refused-url') {
    return data(
      {
        result: submission.reply({
          fieldErrors: { url: [`api:webhooks.refused.${created.reason}`] },
        }),
        secret: null,
      },
      { status: 400 },
    )
  }
  return data(
    {
      result: submission.reply({ resetForm: true }),
      secret: { url: submission.value.url, value: created.secret },
    },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

export default function Webhooks() {
  const { endpoints } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const { t, i18n } = useTranslation('api')
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'medium' })
  const [form, fields] = useForm({
    id: 'add-endpoint',
    lastResult: actionData?.result,
    constraint: getZodConstraint(WebhookEndpointSchema),
    shouldRevalidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: WebhookEndpointSchema }),
  })
  const done = searchParams.get('done')
  return (
    <>
      <h1>{t('webhooks.title')}</h1>
      <p>{t('webhooks.intro')}</p>
      <div role="status">
        {done ? <p className="banner banner-ok">{t(`webhooks.done.${done}`)}</p> : null}
        {actionData?.secret ? (
          <div className="banner banner-ok">
            <p>{t('webhooks.secretShownOnce', { url: actionData.secret.url })}</p>
            <p>
              <code data-testid="webhook-secret">{actionData.secret.value}</code>
            </p>
          </div>
        ) : null}
      </div>
      {endpoints.length === 0 ? <p>{t('webhooks.none')}</p> : null}
      {endpoints.map((e) => (
        <section key={e.id} aria-labelledby={`endpoint-${e.id}`} className="admin-card">
          <h2 id={`endpoint-${e.id}`}>{t('webhooks.endpoint', { url: e.url })}</h2>
          {e.description ? <p>{e.description}</p> : null}
          <p>
            {t('webhooks.events')}: {e.events.join(', ')}
          </p>
          <p>
            {e.disabledAt
              ? t('webhooks.disabled', {
                  when: date.format(new Date(e.disabledAt)),
                  reason: e.disabledReason ?? '',
                })
              : t('webhooks.enabled')}
          </p>
          {e.previousSecretExpiresAt ? (
            <p>
              {t('webhooks.rotating', { when: date.format(new Date(e.previousSecretExpiresAt)) })}
            </p>
          ) : null}
          <Form method="post" className="inline-form">
            <input type="hidden" name="endpointId" value={e.id} />
            <button type="submit" name="intent" value="rotate" className="button-small">
              {t('webhooks.rotate')}
            </button>{' '}
            <button
              type="submit"
              name="intent"
              value={e.disabledAt ? 'enable' : 'disable'}
              className="button-small"
            >
              {e.disabledAt ? t('webhooks.enable') : t('webhooks.disable')}
            </button>{' '}
            <button type="submit" name="intent" value="delete" className="button-small">
              {t('webhooks.delete')}
            </button>
          </Form>
          {e.attempts.length === 0 ? (
            <p>{t('webhooks.noAttempts')}</p>
          ) : (
            <div
              className="table-wrap"
              role="region"
              aria-labelledby={`attempts-${e.id}`}
              tabIndex={0}
            >
              <table>
                <caption id={`attempts-${e.id}`}>{t('webhooks.attempts', { url: e.url })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('webhooks.when')}</th>
                    <th scope="col">{t('webhooks.event')}</th>
                    <th scope="col">{t('webhooks.webhookId')}</th>
                    <th scope="col">{t('webhooks.status')}</th>
                    <th scope="col">{t('webhooks.latency')}</th>
                    <th scope="col">{t('webhooks.excerpt')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('webhooks.resend', { id: '' })}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {e.attempts.map((a) => (
                    <tr key={a.id}>
                      <td>{date.format(new Date(a.createdAt))}</td>
                      <td>{a.eventType}</td>
                      <td>
                        <code>{a.msgId}</code>
                      </td>
                      <td>{a.statusCode ?? a.error}</td>
                      <td>{a.latencyMs} ms</td>
                      <td>
                        <code>{a.responseExcerpt ?? ''}</code>
                      </td>
                      <td>
                        <Form method="post">
                          <input type="hidden" name="endpointId" value={e.id} />
                          <input type="hidden" name="messageId" value={a.messageId} />
                          <button
                            type="submit"
                            name="intent"
                            value="resend"
                            className="button-small"
                            aria-label={t('webhooks.resend', { id: a.msgId })}
                          >
                            {t('webhooks.resend', { id: '' })}
                          </button>
                        </Form>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ))}
      <h2>{t('webhooks.add')}</h2>
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="create" />
        {form.errors?.length ? (
          <div className="banner banner-error" role="alert" id={form.errorId}>
            <ErrorList errors={form.errors} />
          </div>
        ) : null}
        <Field
          label={t('webhooks.url')}
          inputProps={getInputProps(fields.url, { type: 'url' })}
          errors={fields.url.errors}
        />
        <Field
          label={t('webhooks.description')}
          inputProps={getInputProps(fields.description, { type: 'text' })}
          errors={fields.description.errors}
        />
        <fieldset
          aria-invalid={fields.events.errors ? true : undefined}
          aria-describedby={fields.events.errors ? fields.events.errorId : undefined}
        >
          <legend>{t('webhooks.events')}</legend>
          {WEBHOOK_EVENTS.map((event) => (
            <div key={event} className="checkbox-field">
              <input type="checkbox" id={`event-${event}`} name="events" value={event} />
              <label htmlFor={`event-${event}`}>
                <code>{event}</code>
              </label>
            </div>
          ))}
          <ErrorList id={fields.events.errorId} errors={fields.events.errors} />
        </fieldset>
        <button type="submit" className="button">
          {t('webhooks.submit')}
        </button>
      </Form>
    </>
  )
}
