import {
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useForm,
  type SubmissionResult,
} from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { Form } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ErrorList, Field, SelectField, TextareaField } from '#app/components/forms'
import { MailingSchema } from './schema'

export type MailingFormDefaults = {
  campaign?: string
  states?: string
  districts?: string
  locales?: string[]
  subjectEn?: string
  bodyEn?: string
  subjectEs?: string
  bodyEs?: string
}

/** Compose or edit a mailing: audience, then English and optional Spanish copy in Markdown. */
export function MailingForm({
  lastResult,
  campaigns,
  defaults = {},
}: {
  lastResult?: SubmissionResult<string[]>
  campaigns: Array<{ id: string; headline: string; slug: string }>
  defaults?: MailingFormDefaults
}) {
  const { t } = useTranslation('admin')
  const [form, fields] = useForm({
    id: 'mailing',
    lastResult,
    defaultValue: defaults,
    constraint: getZodConstraint(MailingSchema),
    shouldRevalidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: MailingSchema }),
  })
  const checked = new Set(defaults.locales ?? [])
  return (
    <Form method="post" {...getFormProps(form)} className="mailing-form">
      <input type="hidden" name="intent" value="save" />
      <ErrorList errors={form.errors} />
      <fieldset>
        <legend>{t('mailings.audience')}</legend>
        <SelectField
          label={t('mailings.form.campaign')}
          selectProps={getSelectProps(fields.campaign)}
          errors={fields.campaign.errors}
          options={[
            { value: '', label: t('mailings.form.choose') },
            { value: 'all', label: t('mailings.allCampaigns') },
            ...campaigns.map((c) => ({ value: c.id, label: `${c.headline} (${c.slug})` })),
          ]}
        />
        <Field
          label={t('mailings.form.states')}
          hint={t('mailings.form.statesHint')}
          inputProps={getInputProps(fields.states, { type: 'text' })}
          errors={fields.states.errors}
        />
        <Field
          label={t('mailings.form.districts')}
          hint={t('mailings.form.districtsHint')}
          inputProps={getInputProps(fields.districts, { type: 'text' })}
          errors={fields.districts.errors}
        />
        <fieldset>
          <legend>{t('mailings.form.locales')}</legend>
          <p className="hint">{t('mailings.form.localesHint')}</p>
          {(['en', 'es'] as const).map((l) => (
            <div className="checkbox" key={l}>
              <input
                type="checkbox"
                id={`mailing-locale-${l}`}
                name="locales"
                value={l}
                defaultChecked={checked.has(l)}
              />
              <label htmlFor={`mailing-locale-${l}`}>{t(`locale.${l}`)}</label>
            </div>
          ))}
        </fieldset>
      </fieldset>
      <fieldset>
        <legend lang="en">English</legend>
        <Field
          label={t('mailings.form.subjectEn')}
          inputProps={getInputProps(fields.subjectEn, { type: 'text' })}
          errors={fields.subjectEn.errors}
        />
        <TextareaField
          label={t('mailings.form.bodyEn')}
          hint={t('mailings.form.bodyHint')}
          textareaProps={{ ...getTextareaProps(fields.bodyEn), rows: 12 }}
          errors={fields.bodyEn.errors}
        />
      </fieldset>
      <fieldset>
        <legend lang="es">Español</legend>
        <p className="hint">{t('mailings.form.esHint')}</p>
        <Field
          label={t('mailings.form.subjectEs')}
          inputProps={getInputProps(fields.subjectEs, { type: 'text' })}
          errors={fields.subjectEs.errors}
        />
        <TextareaField
          label={t('mailings.form.bodyEs')}
          hint={t('mailings.form.bodyHint')}
          textareaProps={{ ...getTextareaProps(fields.bodyEs), rows: 12 }}
          errors={fields.bodyEs.errors}
        />
      </fieldset>
      <button type="submit" className="button">
        {t('mailings.form.save')}
      </button>
    </Form>
  )
}
