import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react'
import type { SubmissionResult } from '@conform-to/react'
import { getZodConstraint } from '@conform-to/zod/v4'
import { Form } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Field, SelectField, TextareaField } from '#app/components/forms'
import { LINK_BUILDER_FLAG, PartnerLinkSchema } from './partner-links'

// The partners' link builder on the campaign editor (ADR 0908). A GET form: the page answers
// with the built link in a text box, so it works without JavaScript; with it, a Copy button.

export function PartnerLinkBuilder({
  kind,
  status,
  result,
  url,
}: {
  kind: string
  status: string
  result: SubmissionResult<string[]> | null
  url: string | null
}) {
  const { t } = useTranslation('admin')
  const [form, fields] = useForm({
    id: 'partner-link',
    lastResult: result,
    constraint: getZodConstraint(PartnerLinkSchema),
    shouldValidate: 'onSubmit',
  })
  const examples = { first: '{{first_name}}', second: '*|FNAME|*' }
  return (
    <section aria-labelledby="partner-links-title" className="partner-links">
      <h2 id="partner-links-title">{t('partnerLinks.title')}</h2>
      <p className="hint">
        {kind === 'letter' ? t('partnerLinks.introLetter') : t('partnerLinks.introPetition')}
      </p>
      {status !== 'live' ? <p className="banner banner-warn">{t('partnerLinks.notLive')}</p> : null}
      <Form
        method="get"
        {...getFormProps(form)}
        // a GET form: nothing to validate before the page answers
        noValidate
        className="form partner-link-form"
        preventScrollReset
      >
        <input type="hidden" name={LINK_BUILDER_FLAG} value="1" />
        <Field
          label={t('partnerLinks.source')}
          hint={t('partnerLinks.sourceHint')}
          inputProps={{ ...getInputProps(fields.source, { type: 'text' }), autoComplete: 'off' }}
          errors={fields.source.errors}
        />
        {kind === 'letter' ? (
          <Field
            label={t('partnerLinks.district')}
            hint={t('partnerLinks.districtHint')}
            inputProps={{
              ...getInputProps(fields.district, { type: 'text' }),
              autoComplete: 'off',
              size: 6,
            }}
            errors={fields.district.errors}
          />
        ) : (
          <fieldset>
            <legend>{t('partnerLinks.prefillLegend')}</legend>
            <p className="hint">{t('partnerLinks.prefillHint', examples)}</p>
            <Field
              label={t('partnerLinks.firstName')}
              inputProps={{
                ...getInputProps(fields.firstName, { type: 'text' }),
                autoComplete: 'off',
              }}
              errors={fields.firstName.errors}
            />
            <Field
              label={t('partnerLinks.lastName')}
              inputProps={{
                ...getInputProps(fields.lastName, { type: 'text' }),
                autoComplete: 'off',
              }}
              errors={fields.lastName.errors}
            />
            <Field
              label={t('partnerLinks.zip')}
              inputProps={{ ...getInputProps(fields.zip, { type: 'text' }), autoComplete: 'off' }}
              errors={fields.zip.errors}
            />
          </fieldset>
        )}
        <SelectField
          label={t('partnerLinks.lang')}
          selectProps={getSelectProps(fields.lang)}
          options={[
            { value: '', label: t('partnerLinks.langAuto') },
            { value: 'en', label: t('partnerLinks.langEn') },
            { value: 'es', label: t('partnerLinks.langEs') },
          ]}
          errors={fields.lang.errors}
        />
        <button type="submit" className="button">
          {t('partnerLinks.build')}
        </button>
      </Form>
      {url ? <BuiltLink url={url} /> : null}
    </section>
  )
}

function BuiltLink({ url }: { url: string }) {
  const { t } = useTranslation('admin')
  // The Copy button needs the clipboard API: shown only once the page runs JavaScript.
  const [canCopy, setCanCopy] = useState(false)
  const [copied, setCopied] = useState(false)
  useEffect(() => setCanCopy(typeof navigator !== 'undefined' && Boolean(navigator.clipboard)), [])
  return (
    <div className="partner-link-result" data-testid="partner-link-result">
      <TextareaField
        label={t('partnerLinks.result')}
        hint={t('partnerLinks.resultHint')}
        textareaProps={{
          id: 'partner-link-url',
          readOnly: true,
          rows: 4,
          value: url,
          onFocus: (e) => e.currentTarget.select(),
        }}
      />
      <div className="button-row">
        {canCopy ? (
          <button
            type="button"
            className="button"
            onClick={() => {
              void navigator.clipboard.writeText(url).then(
                () => setCopied(true),
                () => setCopied(false),
              )
            }}
          >
            {t('partnerLinks.copy')}
          </button>
        ) : null}
        <a href={url} className="button button-secondary">
          {t('partnerLinks.open')}
        </a>
        <span role="status">{copied ? t('partnerLinks.copied') : ''}</span>
      </div>
    </div>
  )
}
