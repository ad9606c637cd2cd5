import { getFormProps, getInputProps, getTextareaProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { Form, useFormAction, useNavigation } from '@remix-run/react'
import type { SubmissionResult } from '@conform-to/react'
import { useTranslation } from 'react-i18next'
import { CheckboxField, ErrorList, Field, SelectField, TextareaField } from '#app/components/forms'
import { FormDefenses } from '#app/safety/form-defenses'
import type { Tracking } from '#app/campaigns/tracking'
import { Honeypot } from '#app/safety/honeypot'
import type { SignPrefill } from './prefill'
import { SignSchema, US_STATES } from './schema'

type SignFields = Record<keyof (typeof SignSchema)['shape'], string>

/**
 * The sign form. Works without JavaScript (a plain POST to the page); with JavaScript, Conform
 * validates with the same schema as the server.
 */
export function SignForm({
  lastResult,
  tracking,
  locale,
  action,
  compact = false,
  formToken,
  turnstileSiteKey,
  prefill,
}: {
  lastResult?: SubmissionResult<string[]> | null
  tracking: Tracking
  locale: string
  action?: string
  compact?: boolean
  /** signed "served at" timestamp (minimum fill time; app/safety/bot-defense.server.ts) */
  formToken?: string
  /** Cloudflare Turnstile's site key, when the widget is on */
  turnstileSiteKey?: string | null
  /** a deep link's name and ZIP (./prefill.ts), rendered as the fields' initial values */
  prefill?: SignPrefill
}) {
  const { t } = useTranslation('petitions')
  // Validation messages are keys in the common namespace (or prefixed, e.g. "petitions:…").
  const { t: tCommon } = useTranslation()
  const navigation = useNavigation()
  const submitting = navigation.state === 'submitting'
  const [form, fields] = useForm({
    id: 'sign',
    lastResult,
    defaultValue: prefill as Partial<SignFields> | undefined,
    constraint: getZodConstraint(SignSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SignSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  // Without JavaScript the page reloads after a failed submit; the fragment brings the reader
  // (and a screen reader's focus point) straight back to the error summary.
  const formAction = `${useFormAction(action)}#sign-errors`
  const fieldErrors = (
    [
      ['firstName', 'form.firstName'],
      ['lastName', 'form.lastName'],
      ['email', 'form.email'],
      ['zip', 'form.zip'],
      ['street', 'form.street'],
      ['city', 'form.city'],
      ['state', 'form.state'],
      ['comment', 'form.comment'],
    ] as const
  ).flatMap(([name, label]) =>
    (fields[name].errors ?? []).map((e) => ({ id: fields[name].id, label, message: e })),
  )
  const hidden = (name: keyof Tracking | 'locale', value: string | undefined) =>
    value ? <input type="hidden" name={name} value={value} /> : null

  return (
    <Form method="post" action={formAction} className="form sign-form" {...getFormProps(form)}>
      {fieldErrors.length ? (
        <section
          className="error-summary"
          id="sign-errors"
          tabIndex={-1}
          aria-labelledby="sign-errors-title"
        >
          <h3 id="sign-errors-title">{t('form.errorSummary')}</h3>
          <ul>
            {fieldErrors.map((e) => (
              <li key={e.id + e.message}>
                <a href={`#${e.id}`}>
                  {t(e.label)}: {tCommon(e.message)}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : (
        <span id="sign-errors" />
      )}
      <div className="field-row">
        <Field
          label={t('form.firstName')}
          inputProps={{
            ...getInputProps(fields.firstName, { type: 'text' }),
            autoComplete: 'given-name',
          }}
          errors={fields.firstName.errors}
        />
        <Field
          label={t('form.lastName')}
          inputProps={{
            ...getInputProps(fields.lastName, { type: 'text' }),
            autoComplete: 'family-name',
          }}
          errors={fields.lastName.errors}
        />
      </div>
      <Field
        label={t('form.email')}
        hint={t('form.emailHint')}
        inputProps={{
          ...getInputProps(fields.email, { type: 'email' }),
          autoComplete: 'email',
        }}
        errors={fields.email.errors}
      />
      <Field
        label={t('form.zip')}
        hint={t('form.zipHint')}
        className="field-zip"
        inputProps={{
          ...getInputProps(fields.zip, { type: 'text' }),
          autoComplete: 'postal-code',
          inputMode: 'numeric',
        }}
        errors={fields.zip.errors}
      />
      {compact ? null : (
        <fieldset>
          <legend>{t('form.addressLegend')}</legend>
          <p className="hint">{t('form.addressHint')}</p>
          <Field
            label={t('form.street')}
            inputProps={{
              ...getInputProps(fields.street, { type: 'text' }),
              autoComplete: 'street-address',
            }}
            errors={fields.street.errors}
          />
          <div className="field-row field-row-address">
            <Field
              label={t('form.city')}
              inputProps={{
                ...getInputProps(fields.city, { type: 'text' }),
                autoComplete: 'address-level2',
              }}
              errors={fields.city.errors}
            />
            <SelectField
              label={t('form.state')}
              selectProps={{
                id: fields.state.id,
                name: fields.state.name,
                defaultValue: fields.state.initialValue ?? '',
                autoComplete: 'address-level1',
              }}
              options={[
                { value: '', label: t('form.stateChoose') },
                ...US_STATES.map(([code, name]) => ({ value: code, label: name })),
              ]}
              errors={fields.state.errors}
            />
          </div>
        </fieldset>
      )}
      <TextareaField
        label={t('form.comment')}
        hint={t('form.commentHint')}
        textareaProps={{ ...getTextareaProps(fields.comment), rows: compact ? 2 : 4 }}
        errors={fields.comment.errors}
      />
      <CheckboxField
        label={t('form.anonymous')}
        inputProps={getInputProps(fields.anonymous, { type: 'checkbox' })}
        errors={fields.anonymous.errors}
      />
      <CheckboxField
        label={t('form.optIn')}
        inputProps={getInputProps(fields.optIn, { type: 'checkbox' })}
        errors={fields.optIn.errors}
      />
      <p className="hint">{t('consent.terms')}</p>

      <Honeypot id="sign-website" />
      <FormDefenses formToken={formToken} turnstileSiteKey={turnstileSiteKey} locale={locale} />
      {hidden('locale', locale)}
      {hidden('source', tracking.source)}
      {hidden('ref', tracking.ref)}
      {hidden('utmSource', tracking.utmSource)}
      {hidden('utmMedium', tracking.utmMedium)}
      {hidden('utmCampaign', tracking.utmCampaign)}
      {hidden('utmTerm', tracking.utmTerm)}
      {hidden('utmContent', tracking.utmContent)}
      {hidden('referrerHost', tracking.referrerHost)}

      <ErrorList id={form.errorId} errors={form.errors} />
      <button type="submit" disabled={submitting}>
        {submitting ? t('form.submitting') : t('form.submit')}
      </button>
    </Form>
  )
}
