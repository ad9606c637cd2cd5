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
import type { z } from 'zod'
import { useTranslation } from 'react-i18next'
import { CheckboxField, ErrorList, Field, SelectField, TextareaField } from '#app/components/forms'
import { CampaignEditorSchema, editorLocales, MERGE_FIELDS } from './editor-schema'

type Values = z.input<typeof CampaignEditorSchema>

/** The campaign editor: one form, one schema, works without JavaScript. */
export function CampaignEditorForm({
  lastResult,
  defaultValue,
  submitLabel,
  committeeOptions = [],
}: {
  lastResult?: SubmissionResult<string[]> | null
  defaultValue?: Partial<Record<keyof Values, unknown>>
  submitLabel: string
  /** imported committees and subcommittees */
  committeeOptions?: Array<{ value: string; label: string }>
}) {
  const { t } = useTranslation('admin')
  const [form, fields] = useForm<Values>({
    id: 'campaign-editor',
    lastResult,
    // Conform serializes numbers and booleans ('on') itself; its type only admits strings.
    defaultValue: (defaultValue ?? {
      kind: 'petition',
      goal: 1000,
      defaultLocale: 'en',
      letterMaxLength: 5000,
      targetHouse: true,
      targetSenate: true,
      donationEnabled: true,
      donationAmounts: '10, 25, 50, 100',
      donationMax: 10000,
    }) as never,
    constraint: getZodConstraint(CampaignEditorSchema),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CampaignEditorSchema }),
  })
  const copy = fields.copy.getFieldset()
  const mergeHint = t('campaign.mergeHint', {
    fields: MERGE_FIELDS.map((f) => `{{${f}}}`).join(' '),
  })
  return (
    <Form method="post" {...getFormProps(form)} className="editor">
      <input type="hidden" name="intent" value="save" />
      {form.errors?.length ? (
        <div className="banner banner-error" role="alert" id={form.errorId}>
          <ErrorList errors={form.errors} />
        </div>
      ) : null}
      <fieldset>
        <legend>{t('campaign.basics')}</legend>
        <Field
          label={t('campaign.slug')}
          hint={t('campaign.slugHint')}
          inputProps={getInputProps(fields.slug, { type: 'text' })}
          errors={fields.slug.errors}
        />
        <SelectField
          label={t('campaign.kind')}
          selectProps={getSelectProps(fields.kind)}
          options={[
            { value: 'petition', label: t('kind.petition') },
            { value: 'letter', label: t('kind.letter') },
            { value: 'call', label: t('kind.call') },
          ]}
          errors={fields.kind.errors}
        />
        <Field
          label={t('campaign.goal')}
          inputProps={getInputProps(fields.goal, { type: 'number' })}
          errors={fields.goal.errors}
        />
        <SelectField
          label={t('campaign.defaultLocale')}
          hint={t('campaign.defaultLocaleHint')}
          selectProps={getSelectProps(fields.defaultLocale)}
          options={editorLocales.map((l) => ({ value: l, label: t(`locale.${l}`) }))}
          errors={fields.defaultLocale.errors}
        />
      </fieldset>
      {editorLocales.map((locale) => {
        const c = copy[locale].getFieldset()
        return (
          <fieldset key={locale}>
            <legend>{t('campaign.copyFor', { language: t(`locale.${locale}`) })}</legend>
            <p className="hint">{t('campaign.copyHint')}</p>
            <Field
              label={t('campaign.headline')}
              inputProps={{ ...getInputProps(c.headline, { type: 'text' }), lang: locale }}
              errors={c.headline.errors}
            />
            <TextareaField
              label={t('campaign.summary')}
              textareaProps={{ ...getTextareaProps(c.summary), rows: 2, lang: locale }}
              errors={c.summary.errors}
            />
            <TextareaField
              label={t('campaign.story')}
              textareaProps={{ ...getTextareaProps(c.story), rows: 6, lang: locale }}
              errors={c.story.errors}
            />
            <TextareaField
              label={t('campaign.ask')}
              textareaProps={{ ...getTextareaProps(c.ask), rows: 2, lang: locale }}
              errors={c.ask.errors}
            />
            <TextareaField
              label={t('campaign.facts')}
              hint={t('campaign.factsHint')}
              textareaProps={{ ...getTextareaProps(c.facts), rows: 4, lang: locale }}
              errors={c.facts.errors}
            />
            <TextareaField
              label={t('campaign.thankYou')}
              textareaProps={{ ...getTextareaProps(c.thankYou), rows: 2, lang: locale }}
              errors={c.thankYou.errors}
            />
            <Field
              label={t('campaign.shareText')}
              inputProps={{ ...getInputProps(c.shareText, { type: 'text' }), lang: locale }}
              errors={c.shareText.errors}
            />
            <Field
              label={t('campaign.letterSubject')}
              hint={t('campaign.letterOnly')}
              inputProps={{ ...getInputProps(c.letterSubject, { type: 'text' }), lang: locale }}
              errors={c.letterSubject.errors}
            />
            <TextareaField
              label={t('campaign.letterBody')}
              hint={mergeHint}
              textareaProps={{ ...getTextareaProps(c.letterBody), rows: 8, lang: locale }}
              errors={c.letterBody.errors}
            />
            {/* the other target groups' letters (ADR 0904) */}
            <Field
              label={t('campaign.officialsSubject')}
              hint={t('campaign.officialsHint')}
              inputProps={{ ...getInputProps(c.officialsSubject, { type: 'text' }), lang: locale }}
              errors={c.officialsSubject.errors}
            />
            <TextareaField
              label={t('campaign.officialsBody')}
              hint={mergeHint}
              textareaProps={{ ...getTextareaProps(c.officialsBody), rows: 6, lang: locale }}
              errors={c.officialsBody.errors}
            />
            <Field
              label={t('campaign.thanksSubject')}
              hint={t('campaign.thanksHint')}
              inputProps={{ ...getInputProps(c.thanksSubject, { type: 'text' }), lang: locale }}
              errors={c.thanksSubject.errors}
            />
            <TextareaField
              label={t('campaign.thanksBody')}
              hint={mergeHint}
              textareaProps={{ ...getTextareaProps(c.thanksBody), rows: 6, lang: locale }}
              errors={c.thanksBody.errors}
            />
          </fieldset>
        )
      })}
      <fieldset>
        <legend>{t('campaign.letterSettings')}</legend>
        <CheckboxField
          label={t('campaign.letterEditable')}
          inputProps={getInputProps(fields.letterEditable, { type: 'checkbox' })}
          errors={fields.letterEditable.errors}
        />
        <Field
          label={t('campaign.letterMaxLength')}
          inputProps={getInputProps(fields.letterMaxLength, { type: 'number' })}
          errors={fields.letterMaxLength.errors}
        />
        <CheckboxField
          label={t('campaign.letterRequiresConfirmation')}
          inputProps={getInputProps(fields.letterRequiresConfirmation, { type: 'checkbox' })}
          errors={fields.letterRequiresConfirmation.errors}
        />
        <p className="hint">{t('campaign.letterRequiresConfirmationHint')}</p>
        <Field
          label={t('campaign.cwcTopic')}
          hint={t('campaign.cwcTopicHint')}
          inputProps={getInputProps(fields.cwcTopic, { type: 'text' })}
          errors={fields.cwcTopic.errors}
        />
      </fieldset>
      <fieldset>
        <legend>{t('campaign.bill')}</legend>
        <Field
          label={t('campaign.billCongress')}
          inputProps={getInputProps(fields.billCongress, { type: 'number' })}
          errors={fields.billCongress.errors}
        />
        <Field
          label={t('campaign.billType')}
          hint={t('campaign.billTypeHint')}
          inputProps={getInputProps(fields.billType, { type: 'text' })}
          errors={fields.billType.errors}
        />
        <Field
          label={t('campaign.billNumber')}
          inputProps={getInputProps(fields.billNumber, { type: 'number' })}
          errors={fields.billNumber.errors}
        />
        <Field
          label={t('campaign.billTitle')}
          inputProps={getInputProps(fields.billTitle, { type: 'text' })}
          errors={fields.billTitle.errors}
        />
        <Field
          label={t('campaign.billUrl')}
          inputProps={getInputProps(fields.billUrl, { type: 'url' })}
          errors={fields.billUrl.errors}
        />
        <Field
          label={t('campaign.billCompanion')}
          hint={t('campaign.billCompanionHint')}
          inputProps={getInputProps(fields.billCompanion, { type: 'text' })}
          errors={fields.billCompanion.errors}
        />
      </fieldset>
      <fieldset>
        <legend>{t('campaign.targets')}</legend>
        <CheckboxField
          label={t('campaign.targetHouse')}
          inputProps={getInputProps(fields.targetHouse, { type: 'checkbox' })}
          errors={fields.targetHouse.errors}
        />
        <CheckboxField
          label={t('campaign.targetSenate')}
          inputProps={getInputProps(fields.targetSenate, { type: 'checkbox' })}
        />
        <CheckboxField
          label={t('campaign.targetStateUpper')}
          inputProps={getInputProps(fields.targetStateUpper, { type: 'checkbox' })}
        />
        <CheckboxField
          label={t('campaign.targetStateLower')}
          inputProps={getInputProps(fields.targetStateLower, { type: 'checkbox' })}
        />
        <TextareaField
          label={t('campaign.customTargets')}
          hint={t('campaign.customTargetsHint')}
          textareaProps={{ ...getTextareaProps(fields.customTargets), rows: 3 }}
          errors={fields.customTargets.errors}
        />
        <TextareaField
          label={t('campaign.thanksList')}
          hint={t('campaign.thanksListHint')}
          textareaProps={{ ...getTextareaProps(fields.thanksList), rows: 2 }}
          errors={fields.thanksList.errors}
        />
        <div className="field">
          <label htmlFor="campaign-committees">{t('campaign.committees')}</label>
          <span id="campaign-committees-hint" className="hint">
            {t('campaign.committeesHint')}
          </span>
          <select
            id="campaign-committees"
            name="committees"
            multiple
            size={8}
            defaultValue={(defaultValue?.committees as string[] | undefined) ?? []}
            aria-describedby="campaign-committees-hint"
            aria-invalid={fields.committees.errors?.length ? true : undefined}
          >
            {committeeOptions.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          <ErrorList errors={fields.committees.errors} />
        </div>
        <SelectField
          label={t('campaign.committeeMode')}
          selectProps={getSelectProps(fields.committeeMode)}
          options={[
            { value: 'mine', label: t('campaign.committeeModeMine') },
            { value: 'every', label: t('campaign.committeeModeEvery') },
          ]}
          errors={fields.committeeMode.errors}
        />
      </fieldset>
      <fieldset>
        <legend>{t('campaign.donations')}</legend>
        <CheckboxField
          label={t('campaign.donationEnabled')}
          inputProps={getInputProps(fields.donationEnabled, { type: 'checkbox' })}
        />
        <Field
          label={t('campaign.donationAmounts')}
          hint={t('campaign.donationAmountsHint')}
          inputProps={getInputProps(fields.donationAmounts, { type: 'text' })}
          errors={fields.donationAmounts.errors}
        />
        <Field
          label={t('campaign.donationMax')}
          inputProps={getInputProps(fields.donationMax, { type: 'number' })}
          errors={fields.donationMax.errors}
        />
        <CheckboxField
          label={t('campaign.donationShowTotal')}
          inputProps={getInputProps(fields.donationShowTotal, { type: 'checkbox' })}
        />
      </fieldset>
      <button type="submit" className="button">
        {submitLabel}
      </button>
    </Form>
  )
}
