import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { Form } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ErrorList } from '#app/components/forms'
import type { LadderStep } from './ladders.server'
import { LadderSchema, MAX_LADDER_STEPS } from './schema'

// The campaign's ladder of next asks, as rows: each existing step, then blank rows to add one.
// Works without JavaScript: a row whose kind is empty is dropped on save.

type Target = { id: string; slug: string; headline: string; kind: string }

export function LadderEditor({
  steps,
  followUpHours,
  targets,
  lastResult,
}: {
  steps: Array<Pick<LadderStep, 'id' | 'kind' | 'targetCampaignId' | 'copy'>>
  followUpHours: number
  targets: Target[]
  lastResult?: SubmissionResult<string[]>
}) {
  const { t } = useTranslation('ladders')
  const [form, fields] = useForm({
    id: 'ladder',
    lastResult,
    constraint: getZodConstraint(LadderSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: LadderSchema }),
  })
  const rows = [
    ...steps,
    ...Array.from(
      { length: Math.max(2, Math.min(MAX_LADDER_STEPS, steps.length + 2) - steps.length) },
      () => null,
    ),
  ]
  // the server's errors, or the browser's own check before submitting
  const fieldErrors = form.allErrors as Record<string, string[] | undefined>
  const errorsOf = (i: number, name: string) => fieldErrors[`steps[${i}].${name}`] ?? undefined
  return (
    <Form method="post" {...getFormProps(form)} className="ladder-editor">
      <ErrorList errors={form.errors} />
      <div className="field">
        <label htmlFor="ladder-follow-up-hours">{t('editor.followUpHours')}</label>
        <span className="hint" id="ladder-follow-up-hours-hint">
          {t('editor.followUpHint')}
        </span>
        <input
          id="ladder-follow-up-hours"
          name="followUpHours"
          type="number"
          min={1}
          max={720}
          required
          defaultValue={followUpHours}
          aria-describedby="ladder-follow-up-hours-hint"
          aria-invalid={fields.followUpHours.errors ? true : undefined}
        />
        <ErrorList errors={fields.followUpHours.errors} />
      </div>
      {rows.map((step, i) => {
        const id = `ladder-${i}`
        const targetErrors = errorsOf(i, 'target')
        const titleErrors = errorsOf(i, 'titleEn')
        return (
          <fieldset key={step?.id ?? `new-${i}`}>
            <legend>{t('editor.step', { n: i + 1 })}</legend>
            {step ? <input type="hidden" name={`steps[${i}].id`} value={step.id} /> : null}
            <div className="field">
              <label htmlFor={`${id}-kind`}>{t('editor.kind')}</label>
              <select id={`${id}-kind`} name={`steps[${i}].kind`} defaultValue={step?.kind ?? ''}>
                <option value="">{t('editor.none')}</option>
                {(['share', 'campaign', 'donate'] as const).map((k) => (
                  <option key={k} value={k}>
                    {t(`editor.kinds.${k}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-target`}>{t('editor.target')}</label>
              <span className="hint" id={`${id}-target-hint`}>
                {t('editor.targetHint')}
              </span>
              <select
                id={`${id}-target`}
                name={`steps[${i}].target`}
                defaultValue={step?.targetCampaignId ?? ''}
                aria-describedby={`${id}-target-hint${targetErrors ? ` ${id}-target-error` : ''}`}
                aria-invalid={targetErrors ? true : undefined}
              >
                <option value="">{t('editor.chooseTarget')}</option>
                {targets.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.headline} ({t(`admin:kind.${c.kind}`, { defaultValue: c.kind })}, {c.slug})
                  </option>
                ))}
              </select>
              <ErrorList id={`${id}-target-error`} errors={targetErrors} />
            </div>
            {(['en', 'es'] as const).map((l) => {
              const title = l === 'en' ? 'titleEn' : 'titleEs'
              const text = l === 'en' ? 'textEn' : 'textEs'
              const language = t(`admin:locale.${l}`)
              const errs = l === 'en' ? titleErrors : undefined
              return (
                <div key={l}>
                  <div className="field">
                    <label htmlFor={`${id}-${title}`}>{t('editor.copyTitle', { language })}</label>
                    <input
                      id={`${id}-${title}`}
                      name={`steps[${i}].${title}`}
                      type="text"
                      maxLength={200}
                      defaultValue={step?.copy[l]?.title ?? ''}
                      aria-invalid={errs ? true : undefined}
                      aria-describedby={errs ? `${id}-${title}-error` : undefined}
                    />
                    <ErrorList id={`${id}-${title}-error`} errors={errs} />
                  </div>
                  <div className="field">
                    <label htmlFor={`${id}-${text}`}>{t('editor.copyText', { language })}</label>
                    <textarea
                      id={`${id}-${text}`}
                      name={`steps[${i}].${text}`}
                      rows={3}
                      maxLength={2000}
                      defaultValue={step?.copy[l]?.text ?? ''}
                    />
                  </div>
                </div>
              )
            })}
          </fieldset>
        )
      })}
      <button type="submit" className="button">
        {t('editor.save')}
      </button>
    </Form>
  )
}
