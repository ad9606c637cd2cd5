import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireOrganizer } from '#app/http/session.server'
import { MailingForm } from '#app/mailings/mailing-form'
import {
  cancelMailingSend,
  editMailing,
  getMailingPage,
  sendMailing,
  sendTestMailing,
} from '#app/mailings/mailings.server'
import { MailingActionSchema, MailingSchema } from '#app/mailings/schema'
import { canSeePii } from '#app/organizers/auth.server'
import { readFormData } from '#app/utils/request.server'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request)
  const page = await getMailingPage(params.id!)
  if (!page) throw new Response('Not found', { status: 404 })
  return { ...page, canSend: canSeePii(organizer.role), organizerEmail: organizer.email }
}

const notFound = () => new Response('Not found', { status: 404 })

export async function action({ request, params }: ActionFunctionArgs) {
  const organizer = await requireOrganizer(request, { pii: true })
  const id = params.id!
  const formData = await readFormData(request)
  if (formData.get('intent') === 'save') {
    const submission = parseWithZod(formData, { schema: MailingSchema })
    if (submission.status !== 'success') {
      return data({ kind: 'form' as const, result: submission.reply() }, { status: 400 })
    }
    const edited = await editMailing(organizer, id, submission.value)
    if (edited.kind === 'not_found') throw notFound()
    if (edited.kind === 'not_draft') return data({ kind: 'notDraft' as const }, { status: 409 })
    throw redirect(`/admin/mailings/${id}?done=saved`)
  }
  const submission = parseWithZod(formData, { schema: MailingActionSchema })
  if (submission.status !== 'success') {
    return data({ kind: 'action' as const, result: submission.reply() }, { status: 400 })
  }
  const value = submission.value
  if (value.intent === 'test') {
    const sent = await sendTestMailing(organizer, id)
    if (sent.kind === 'not_found') throw notFound()
    return { kind: 'testSent' as const, to: sent.to }
  }
  if (value.intent === 'cancel') {
    const canceled = await cancelMailingSend(organizer, id)
    if (canceled.kind === 'not_found') throw notFound()
    if (canceled.kind === 'not_cancelable') {
      return data({ kind: 'notCancelable' as const }, { status: 409 })
    }
    throw redirect(`/admin/mailings/${id}?done=canceled`)
  }
  let at: Date | null = null
  if (value.intent === 'schedule') {
    at = new Date(`${value.sendAt}Z`)
    if (Number.isNaN(at.getTime()) || at.getTime() <= Date.now()) {
      return data(
        {
          kind: 'action' as const,
          result: submission.reply({ fieldErrors: { sendAt: ['admin:mailings.errors.pastTime'] } }),
        },
        { status: 400 },
      )
    }
  }
  const sent = await sendMailing(organizer, id, at)
  if (sent.kind === 'not_found') throw notFound()
  if (sent.kind === 'not_draft') return data({ kind: 'notDraft' as const }, { status: 409 })
  if (sent.kind === 'no_audience') return data({ kind: 'noAudience' as const }, { status: 409 })
  throw redirect(`/admin/mailings/${id}?done=${at ? 'scheduled' : 'sent'}&count=${sent.recipients}`)
}

export default function MailingPage() {
  const { mailing, stats, audienceCount, campaigns, preview, canSend, organizerEmail } =
    useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [params] = useSearchParams()
  const { t } = useTranslation('admin')
  const done = params.get('done')
  const draft = mailing.status === 'draft'
  const scheduleErrors =
    actionData?.kind === 'action' && actionData.result.error
      ? (actionData.result.error.sendAt ?? undefined)
      : undefined
  return (
    <>
      <h1>{mailing.copy.en?.subject}</h1>
      <p>
        {t('mailings.status')}: <strong>{t(`mailings.statuses.${mailing.status}`)}</strong>
        {mailing.status === 'scheduled' && mailing.scheduledAt ? (
          <>
            {' '}
            ·{' '}
            {t('mailings.scheduledFor', {
              at: new Date(mailing.scheduledAt).toISOString().slice(0, 16).replace('T', ' '),
            })}
          </>
        ) : null}
      </p>
      <div role="status">
        {done === 'sent' ? (
          <p className="banner banner-ok">
            {t('mailings.done.sent', { count: Number(params.get('count') ?? 0) })}
          </p>
        ) : done === 'scheduled' || done === 'canceled' || done === 'saved' ? (
          <p className="banner banner-ok">{t(`mailings.done.${done}`)}</p>
        ) : null}
        {actionData?.kind === 'testSent' ? (
          <p className="banner banner-ok">{t('mailings.testSent', { email: actionData.to })}</p>
        ) : null}
        {actionData?.kind === 'noAudience' ||
        actionData?.kind === 'notDraft' ||
        actionData?.kind === 'notCancelable' ? (
          <p className="banner banner-warn">{t(`mailings.${actionData.kind}`)}</p>
        ) : null}
      </div>

      {audienceCount !== null ? (
        <p data-testid="audience-count">
          <strong>{t('mailings.audienceCount', { count: audienceCount })}</strong>
        </p>
      ) : null}

      <section aria-labelledby="preview-title">
        <h2 id="preview-title">{t('mailings.preview')}</h2>
        {preview.map((p) => (
          <section
            key={p.locale}
            className="mailing-preview"
            lang={p.locale}
            aria-label={t('mailings.previewIn', { language: t(`locale.${p.locale}`) })}
          >
            <h3>{p.subject}</h3>
            {/* Sanitized by app/mailings/markdown.server.ts: the same HTML the email carries. */}
            <div dangerouslySetInnerHTML={{ __html: p.bodyHtml }} />
          </section>
        ))}
      </section>

      {canSend ? (
        <section aria-labelledby="send-title" className="mailing-actions">
          <h2 id="send-title" className="visually-hidden">
            {t('mailings.sendNow')}
          </h2>
          <Form method="post">
            <input type="hidden" name="intent" value="test" />
            <button type="submit" className="button button-secondary">
              {t('mailings.testSend', { email: organizerEmail })}
            </button>
          </Form>
          {draft ? (
            <>
              <Form method="post">
                <input type="hidden" name="intent" value="send" />
                <button type="submit" className="button">
                  {t('mailings.sendNow')}
                </button>
              </Form>
              <Form method="post">
                <fieldset>
                  <legend>{t('mailings.scheduleTitle')}</legend>
                  <input type="hidden" name="intent" value="schedule" />
                  <div className="field">
                    <label htmlFor="mailing-send-at">{t('mailings.sendAt')}</label>
                    <input
                      id="mailing-send-at"
                      name="sendAt"
                      type="datetime-local"
                      required
                      aria-invalid={scheduleErrors ? true : undefined}
                      aria-describedby={scheduleErrors ? 'mailing-send-at-error' : undefined}
                    />
                    {scheduleErrors ? (
                      <ul id="mailing-send-at-error" className="error-list">
                        {scheduleErrors.map((e) => (
                          <li key={e}>{t(e)}</li>
                        ))}
                      </ul>
                    ) : null}
                  </div>
                  <button type="submit" className="button button-secondary">
                    {t('mailings.schedule')}
                  </button>
                </fieldset>
              </Form>
            </>
          ) : null}
          {mailing.status === 'scheduled' || mailing.status === 'sending' ? (
            <Form method="post">
              <input type="hidden" name="intent" value="cancel" />
              <button type="submit" className="button button-danger">
                {t('mailings.cancel')}
              </button>
            </Form>
          ) : null}
        </section>
      ) : (
        <p className="banner">{t('mailings.viewerNote')}</p>
      )}

      {mailing.status !== 'draft' ? (
        <section aria-labelledby="results-title">
          <h2 id="results-title">{t('mailings.results')}</h2>
          <dl className="facts-list" data-testid="mailing-stats">
            <dt>{t('mailings.recipients')}</dt>
            <dd>{stats.recipients}</dd>
            <dt>{t('mailings.sent')}</dt>
            <dd>{stats.sent}</dd>
            <dt>{t('mailings.pending')}</dt>
            <dd>{stats.pending}</dd>
            <dt>{t('mailings.failed')}</dt>
            <dd>{stats.failed}</dd>
            <dt>{t('mailings.suppressed')}</dt>
            <dd>{stats.suppressed}</dd>
            <dt>{t('mailings.canceled')}</dt>
            <dd>{stats.canceled}</dd>
            <dt>{t('mailings.unsubscribes')}</dt>
            <dd>{stats.unsubscribes}</dd>
          </dl>
          <p>{t('mailings.noTracking')}</p>
        </section>
      ) : null}

      {canSend && draft ? (
        <section aria-labelledby="edit-title">
          <h2 id="edit-title">{t('mailings.edit')}</h2>
          <MailingForm
            lastResult={actionData?.kind === 'form' ? actionData.result : undefined}
            campaigns={campaigns}
            defaults={{
              campaign: mailing.allCampaigns ? 'all' : (mailing.campaignId ?? ''),
              states: (mailing.audience.states ?? []).join(', '),
              districts: (mailing.audience.districts ?? []).join(', '),
              locales: mailing.audience.locales ?? [],
              subjectEn: mailing.copy.en?.subject,
              bodyEn: mailing.copy.en?.body,
              subjectEs: mailing.copy.es?.subject,
              bodyEs: mailing.copy.es?.body,
            }}
          />
        </section>
      ) : null}
    </>
  )
}
