import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getCallSettings, saveCallSettings } from '#app/calls/settings.server'
import { CallSettingsSchema } from '#app/calls/settings-schema'
import { CheckboxField, ErrorList, SelectField, TextareaField } from '#app/components/forms'
import { requireOrganizer } from '#app/http/session.server'
import { readFormData } from '#app/utils/request.server'

// A campaign's call settings: scripts per target group and language, the call order, "Call me"
// (patch-through), and the "Post to your legislators" text (every campaign kind has one).

const UUID = /^[0-9a-f-]{36}$/i

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireOrganizer(request, { role: 'organizer' })
  const settings = UUID.test(params.id ?? '') ? await getCallSettings(params.id!) : undefined
  if (!settings) throw new Response('Campaign not found', { status: 404 })
  return settings
}

export async function action({ request, params }: ActionFunctionArgs) {
  const organizer = await requireOrganizer(request, { role: 'organizer' })
  const id = params.id ?? ''
  if (!UUID.test(id)) throw new Response('Campaign not found', { status: 404 })
  const submission = parseWithZod(await readFormData(request), { schema: CallSettingsSchema })
  if (submission.status !== 'success') {
    return data({ errors: submission.reply().error ?? {} }, { status: 400 })
  }
  const result = await saveCallSettings(organizer, id, submission.value)
  if (result === 'not_found') throw new Response('Campaign not found', { status: 404 })
  throw redirect(`/admin/campaigns/${id}/calls?saved=1`)
}

export default function CallSettings() {
  const { campaign, locales, values, twilioConfigured } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const errors = (actionData?.errors ?? {}) as Record<string, string[] | null>
  const [params] = useSearchParams()
  const { t } = useTranslation('calls')
  const isCall = campaign.kind === 'call'
  return (
    <>
      <h1>{t('settings.title', { slug: campaign.slug })}</h1>
      <p>
        <Link to={`/admin/campaigns/${campaign.id}`}>{t('settings.back')}</Link>
      </p>
      {params.get('saved') ? (
        <p className="banner banner-ok" role="status">
          {t('settings.saved')}
        </p>
      ) : null}
      <Form method="post" className="form">
        {isCall ? (
          <>
            <SelectField
              label={t('settings.order')}
              selectProps={{ id: 'call-order', name: 'order', defaultValue: values.order }}
              options={[
                { value: 'house-first', label: t('settings.houseFirst') },
                { value: 'senate-first', label: t('settings.senateFirst') },
              ]}
              errors={errors.order ?? undefined}
            />
            <CheckboxField
              label={t('settings.patchThrough')}
              inputProps={{
                id: 'call-patch',
                name: 'patchThrough',
                defaultChecked: values.patchThrough,
              }}
            />
            <p className="hint">
              {twilioConfigured ? t('settings.twilioOn') : t('settings.twilioOff')}
            </p>
          </>
        ) : (
          <input type="hidden" name="order" value={values.order} />
        )}
        {locales.map((locale) => {
          const v = (values.copy as Record<string, Record<string, string>>)[locale] ?? {}
          const field = (name: string, label: string, rows: number, hint?: string) => (
            <TextareaField
              key={name}
              label={label}
              hint={hint}
              textareaProps={{
                id: `copy-${locale}-${name}`,
                name: `copy.${locale}.${name}`,
                rows,
                defaultValue: v[name] ?? '',
              }}
              errors={errors[`copy.${locale}.${name}`] ?? undefined}
            />
          )
          return (
            <fieldset key={locale}>
              <legend>{t(`settings.locale.${locale}`)}</legend>
              {isCall ? (
                <>
                  {field(
                    'scriptDefault',
                    t('settings.scriptDefault'),
                    6,
                    t('settings.mergeHint', {
                      fields: '{{firstName}}, {{city}}, {{targetTitle}}, {{targetName}}',
                    }),
                  )}
                  {field('scriptSenate', t('settings.scriptSenate'), 6)}
                  {field('scriptHouse', t('settings.scriptHouse'), 6)}
                </>
              ) : null}
              {field(
                'postText',
                t('settings.postText'),
                3,
                t('settings.postHint', { field: '{{handle}}' }),
              )}
            </fieldset>
          )
        })}
        <ErrorList errors={errors[''] ?? undefined} />
        <button type="submit">{t('settings.save')}</button>
      </Form>
    </>
  )
}
