import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ErrorList, Field, SelectField } from '#app/components/forms'
import { requireOrganizer } from '#app/http/session.server'
import {
  addAccessRule,
  decideSignature,
  getSafetyPage,
  removeAccessRule,
} from '#app/safety/review.server'
import { AccessRuleSchema, DeleteRuleSchema, SignatureDecisionSchema } from '#app/safety/schema'
import { readFormData } from '#app/utils/request.server'
import { queueSignatureConfirmation } from '#app/signatures/signatures.server'

// Trust & safety for organizers: held (flagged) signatures, and the allow/block lists.
// Held signatures name supporters, so viewers cannot see this page.

export const meta: MetaFunction = () => [{ title: 'Trust & safety · Writ' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireOrganizer(request, { pii: true })
  return getSafetyPage()
}

export async function action({ request }: ActionFunctionArgs) {
  const organizer = await requireOrganizer(request, { pii: true })
  const formData = await readFormData(request)
  const intent = formData.get('intent')
  if (intent === 'release' || intent === 'delete') {
    const submission = parseWithZod(formData, { schema: SignatureDecisionSchema })
    if (submission.status !== 'success') throw new Response('Bad request', { status: 400 })
    const done = await decideSignature(
      organizer,
      submission.value.signatureId,
      submission.value.intent,
      { queueConfirmation: queueSignatureConfirmation },
    )
    if (!done) throw new Response('That signature is not held.', { status: 404 })
    return { kind: intent === 'release' ? ('released' as const) : ('deleted' as const) }
  }
  if (intent === 'delete-rule') {
    const submission = parseWithZod(formData, { schema: DeleteRuleSchema })
    if (submission.status !== 'success') throw new Response('Bad request', { status: 400 })
    if (!(await removeAccessRule(organizer, submission.value.ruleId)))
      throw new Response('No such rule.', { status: 404 })
    return { kind: 'rule-deleted' as const }
  }
  const submission = parseWithZod(formData, { schema: AccessRuleSchema })
  if (submission.status !== 'success') {
    return data({ kind: 'rule-error' as const, result: submission.reply() }, { status: 400 })
  }
  await addAccessRule(organizer, submission.value)
  return { kind: 'rule-saved' as const, result: submission.reply({ resetForm: true }) }
}

export default function SafetyPage() {
  const { held, heldTotal, rules, failedEmails } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t, i18n } = useTranslation('safety')
  const [form, fields] = useForm({
    id: 'access-rule',
    lastResult:
      actionData?.kind === 'rule-error' || actionData?.kind === 'rule-saved'
        ? actionData.result
        : undefined,
    constraint: getZodConstraint(AccessRuleSchema),
    shouldRevalidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: AccessRuleSchema }),
  })
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' })
  return (
    <>
      <h1>{t('admin.title')}</h1>
      <div role="status">
        {actionData && 'kind' in actionData && actionData.kind !== 'rule-error' ? (
          <p className="banner banner-ok">{t(`admin.done.${actionData.kind}`)}</p>
        ) : null}
      </div>

      <section aria-labelledby="held-title">
        <h2 id="held-title">{t('admin.held.title', { count: heldTotal })}</h2>
        <p>{t('admin.held.intro')}</p>
        {held.length === 0 ? (
          <p>{t('admin.held.none')}</p>
        ) : (
          <div className="table-scroll">
            <table>
              <caption className="visually-hidden">{t('admin.held.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.held.when')}</th>
                  <th scope="col">{t('admin.held.campaign')}</th>
                  <th scope="col">{t('admin.held.signer')}</th>
                  <th scope="col">{t('admin.held.reason')}</th>
                  <th scope="col">{t('admin.held.comment')}</th>
                  <th scope="col">{t('admin.held.decide')}</th>
                </tr>
              </thead>
              <tbody>
                {held.map((s) => (
                  <tr key={s.id}>
                    <td>{date.format(new Date(s.createdAt))}</td>
                    <td>{s.campaignSlug}</td>
                    <td>
                      {s.displayName ?? '—'}
                      <br />
                      {s.email}
                    </td>
                    <td>{t(`admin.reason.${s.flagReason ?? 'other'}`, s.flagReason ?? '')}</td>
                    <td>{s.comment ?? ''}</td>
                    <td>
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="signatureId" value={s.id} />
                        <button type="submit" name="intent" value="release" className="button">
                          {t('admin.held.release')}
                          <span className="visually-hidden"> {s.email}</span>
                        </button>{' '}
                        <button
                          type="submit"
                          name="intent"
                          value="delete"
                          className="button button-danger"
                        >
                          {t('admin.held.delete')}
                          <span className="visually-hidden"> {s.email}</span>
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

      <section aria-labelledby="failed-mail-title">
        <h2 id="failed-mail-title">{t('admin.failedMail.title')}</h2>
        <p>{t('admin.failedMail.intro')}</p>
        {failedEmails.length === 0 ? (
          <p>{t('admin.failedMail.none')}</p>
        ) : (
          <div className="table-scroll">
            <table>
              <caption className="visually-hidden">{t('admin.failedMail.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.failedMail.when')}</th>
                  <th scope="col">{t('admin.failedMail.template')}</th>
                  <th scope="col">{t('admin.failedMail.domain')}</th>
                  <th scope="col">{t('admin.failedMail.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {failedEmails.map((m, i) => (
                  <tr key={i}>
                    <td>{date.format(new Date(m.failedAt))}</td>
                    <td>{t(`admin.failedMail.templates.${m.template}`, m.template)}</td>
                    <td>{m.recipientDomain}</td>
                    <td>{m.reason ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="rules-title">
        <h2 id="rules-title">{t('admin.rules.title')}</h2>
        <p>{t('admin.rules.intro')}</p>
        {rules.length === 0 ? (
          <p>{t('admin.rules.none')}</p>
        ) : (
          <div className="table-scroll">
            <table>
              <caption className="visually-hidden">{t('admin.rules.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.rules.kind')}</th>
                  <th scope="col">{t('admin.rules.value')}</th>
                  <th scope="col">{t('admin.rules.action')}</th>
                  <th scope="col">{t('admin.rules.note')}</th>
                  <th scope="col">{t('admin.rules.remove')}</th>
                </tr>
              </thead>
              <tbody>
                {rules.map((r) => (
                  <tr key={r.id}>
                    <td>{t(`admin.rules.kinds.${r.kind}`)}</td>
                    <td>{r.value}</td>
                    <td>{t(`admin.rules.actions.${r.action}`)}</td>
                    <td>{r.note}</td>
                    <td>
                      <Form method="post">
                        <input type="hidden" name="intent" value="delete-rule" />
                        <input type="hidden" name="ruleId" value={String(r.id)} />
                        <button type="submit" className="button button-danger">
                          {t('admin.rules.remove')}
                          <span className="visually-hidden"> {r.value}</span>
                        </button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <h3>{t('admin.rules.add')}</h3>
        <Form method="post" className="form" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="add-rule" />
          <ErrorList id={form.errorId} errors={form.errors} />
          <SelectField
            label={t('admin.rules.kind')}
            selectProps={getSelectProps(fields.kind)}
            options={[
              { value: 'ip', label: t('admin.rules.kinds.ip') },
              { value: 'email_domain', label: t('admin.rules.kinds.email_domain') },
            ]}
            errors={fields.kind.errors}
          />
          <Field
            label={t('admin.rules.value')}
            hint={t('admin.rules.valueHint')}
            inputProps={{ ...getInputProps(fields.value, { type: 'text' }), autoComplete: 'off' }}
            errors={fields.value.errors}
          />
          <SelectField
            label={t('admin.rules.action')}
            selectProps={getSelectProps(fields.action)}
            options={[
              { value: 'block', label: t('admin.rules.actions.block') },
              { value: 'allow', label: t('admin.rules.actions.allow') },
            ]}
            errors={fields.action.errors}
          />
          <Field
            label={t('admin.rules.note')}
            inputProps={{ ...getInputProps(fields.note, { type: 'text' }), autoComplete: 'off' }}
            errors={fields.note.errors}
          />
          <button type="submit" className="button">
            {t('admin.rules.save')}
          </button>
        </Form>
      </section>
    </>
  )
}
