import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ErrorList, Field, SelectField } from '#app/components/forms'
import { getLocale } from '#app/i18n/i18n.server'
import { requireOrganizer } from '#app/http/session.server'
import {
  getOrganizers,
  inviteOrganizer,
  updateOrganizerAccess,
} from '#app/organizers/organizers.server'
import { ChangeOrganizerSchema, InviteOrganizerSchema, roles } from '#app/organizers/schema'
import { readFormData } from '#app/utils/request.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requireOrganizer(request, { role: 'owner' })
  return { organizers: await getOrganizers(), meId: me.id }
}

export async function action({ request }: ActionFunctionArgs) {
  const me = await requireOrganizer(request, { role: 'owner' })
  const formData = await readFormData(request)
  if (formData.get('intent') === 'invite') {
    const submission = parseWithZod(formData, { schema: InviteOrganizerSchema })
    if (submission.status !== 'success') {
      return data({ invite: submission.reply(), manageError: null }, { status: 400 })
    }
    const result = await inviteOrganizer(me, submission.value, await getLocale(request))
    if (result.status === 'exists') {
      return data(
        {
          invite: submission.reply({ fieldErrors: { email: ['admin:errors.organizerExists'] } }),
          manageError: null,
        },
        { status: 409 },
      )
    }
    throw redirect('/admin/organizers?done=invited')
  }
  const change = ChangeOrganizerSchema.safeParse(Object.fromEntries(formData))
  if (!change.success) throw new Response('Invalid request', { status: 400 })
  const v = change.data
  const result = await updateOrganizerAccess(
    me,
    v.organizerId,
    v.intent === 'role' ? { role: v.role } : { disabled: v.intent === 'disable' },
  )
  if (result === 'not_found') throw new Response('Organizer not found', { status: 404 })
  if (result !== 'ok') {
    return data({ invite: null, manageError: `admin:errors.${result}` }, { status: 409 })
  }
  throw redirect(`/admin/organizers?done=${v.intent}`)
}

export default function Organizers() {
  const { organizers, meId } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const { t } = useTranslation('admin')
  const done = searchParams.get('done')
  const roleOptions = roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))
  const [form, fields] = useForm({
    id: 'invite',
    lastResult: actionData?.invite,
    constraint: getZodConstraint(InviteOrganizerSchema),
    defaultValue: { role: 'organizer' },
    shouldRevalidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: InviteOrganizerSchema }),
  })
  return (
    <>
      <h1>{t('organizers.title')}</h1>
      <div role="status">
        {done ? <p className="banner banner-ok">{t(`organizers.done.${done}`)}</p> : null}
      </div>
      {actionData?.manageError ? (
        <p className="banner banner-error" role="alert">
          {t(actionData.manageError)}
        </p>
      ) : null}
      <div className="table-wrap" role="region" aria-labelledby="organizers-caption" tabIndex={0}>
        <table>
          <caption id="organizers-caption">{t('organizers.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('organizers.email')}</th>
              <th scope="col">{t('organizers.role')}</th>
              <th scope="col">{t('organizers.state')}</th>
              <th scope="col">{t('campaigns.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {organizers.map((o) => (
              <tr key={o.id}>
                <th scope="row">
                  {o.email}
                  {o.name ? (
                    <>
                      <br />
                      {o.name}
                    </>
                  ) : null}
                </th>
                <td>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="role" />
                    <input type="hidden" name="organizerId" value={o.id} />
                    <label htmlFor={`role-${o.id}`} className="visually-hidden">
                      {t('organizers.roleFor', { email: o.email })}
                    </label>
                    <select id={`role-${o.id}`} name="role" defaultValue={o.role}>
                      {roleOptions.map((r) => (
                        <option key={r.value} value={r.value}>
                          {r.label}
                        </option>
                      ))}
                    </select>{' '}
                    <button type="submit" className="button-small">
                      {t('organizers.changeRole')}
                    </button>
                  </Form>
                </td>
                <td>{o.disabledAt ? t('organizers.disabled') : t('organizers.active')}</td>
                <td>
                  {o.id === meId ? null : (
                    <Form method="post">
                      <input type="hidden" name="organizerId" value={o.id} />
                      <button
                        type="submit"
                        name="intent"
                        value={o.disabledAt ? 'enable' : 'disable'}
                        className="button-small"
                      >
                        {o.disabledAt
                          ? t('organizers.enable', { email: o.email })
                          : t('organizers.disable', { email: o.email })}
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('organizers.invite')}</h2>
      <p>{t('organizers.inviteIntro')}</p>
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="invite" />
        {form.errors?.length ? (
          <div className="banner banner-error" role="alert" id={form.errorId}>
            <ErrorList errors={form.errors} />
          </div>
        ) : null}
        <Field
          label={t('organizers.email')}
          inputProps={getInputProps(fields.email, { type: 'email' })}
          errors={fields.email.errors}
        />
        <Field
          label={t('organizers.name')}
          inputProps={getInputProps(fields.name, { type: 'text' })}
          errors={fields.name.errors}
        />
        <SelectField
          label={t('organizers.role')}
          selectProps={getSelectProps(fields.role)}
          options={roleOptions}
          errors={fields.role.errors}
        />
        <button type="submit" className="button">
          {t('organizers.sendInvite')}
        </button>
      </Form>
    </>
  )
}
