import type { ReactNode } from 'react'
import { Form } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CheckboxField, ErrorList, Field, SelectField, TextareaField } from '#app/components/forms'
import type { Tracking } from '#app/campaigns/tracking'
import { Honeypot } from '#app/safety/honeypot'
import { FormDefenses, type FormDefensesProps } from '#app/safety/form-defenses'
import { US_STATES } from '#app/signatures/schema'
import type { Representative } from '#app/targets/lookup.server'
import { RepresentativeCard, useDistrictLabel } from '#app/targets/representative-card'
import {
  CWC_PREFIXES,
  SENATORS_ONLY,
  type FlowErrors,
  type FlowState,
  type FlowValues,
  type ShownTarget,
} from './schema'

// The supporter's letter flow: plain forms, one step per POST, no client JS needed
// (docs/decisions/0310-letter-flow.md). Type-only imports from *.server are erased at build.

export type LetterFlowData = {
  editable: boolean
  maxLength: number
  suggested: { subject: string; body: string; locale: string }
  /** other groups' letters this campaign sends in the writer's name (ADR 0904) */
  groups?: { officials: boolean; thanks: boolean }
}

export function LetterFlow({
  letter,
  flow,
  prefill,
  tracking,
  locale,
  defenses = {},
}: {
  letter: LetterFlowData
  flow?: FlowState | null
  prefill: FlowValues
  tracking: Tracking
  locale: string
  /** the bot defenses every step that looks an address up carries (like the sign form) */
  defenses?: FormDefensesProps
}) {
  const step = flow?.step ?? 'address'
  const values: FlowValues = flow?.values ?? { ...prefill }
  const errors = flow?.errors ?? {}
  const carried = carry(values, tracking, locale)
  const guard = <FormDefenses {...defenses} locale={locale} />
  return (
    <div className="letter-flow" data-step={step}>
      {step === 'address' ? (
        <AddressStep values={carried} errors={errors} reason={flow?.reason} guard={guard} />
      ) : step === 'pick' ? (
        <PickStep flow={flow!} values={carried} guard={guard} />
      ) : (
        <LetterStep letter={letter} flow={flow!} values={carried} errors={errors} guard={guard} />
      )}
    </div>
  )
}

/** Hidden fields to carry from one step to the next (tracking from the URL on the first step). */
function carry(values: FlowValues, tracking: Tracking, locale: string): FlowValues {
  return {
    locale,
    ...Object.fromEntries(Object.entries(tracking).filter(([, v]) => v)),
    ...values,
  }
}

function Hidden({ values, omit = [] }: { values: FlowValues; omit?: string[] }) {
  return (
    <>
      {Object.entries(values)
        .filter(([k, v]) => v && !omit.includes(k))
        .map(([k, v]) => (
          <input key={k} type="hidden" name={k} value={v} />
        ))}
    </>
  )
}

function StepTitle({ n, title }: { n: number; title: string }) {
  const { t } = useTranslation('letters')
  return (
    <h3 className="flow-step-title">
      <span className="flow-step-count">{t('flow.stepOf', { n, total: 2 })}</span> {title}
    </h3>
  )
}

const ADDRESS_FIELDS = [
  'prefix',
  'firstName',
  'lastName',
  'email',
  'street',
  'city',
  'state',
  'zip',
  'optIn',
  'district',
]

function AddressStep({
  values,
  errors,
  reason,
  guard,
}: {
  values: FlowValues
  errors: FlowErrors
  reason?: string
  guard: ReactNode
}) {
  const { t } = useTranslation('letters')
  const tp = useTranslation('petitions').t
  const text = (name: keyof FlowValues, autoComplete: string, extra: object = {}) => ({
    id: `letter-${name}`,
    name,
    type: 'text',
    defaultValue: values[name] ?? '',
    autoComplete,
    required: true,
    ...extra,
  })
  return (
    <Form method="post" className="form letter-form" aria-labelledby="letter-step-address">
      <div id="letter-step-address">
        <StepTitle n={1} title={t('flow.addressTitle')} />
      </div>
      <p className="hint">{t('flow.addressIntro')}</p>
      {reason ? (
        <p className="banner banner-warn">{t(`targets:reasons.${reason}`, { defaultValue: '' })}</p>
      ) : null}
      <ErrorList id="letter-form-error" errors={errors['']} />
      <SelectField
        label={t('form.prefix')}
        selectProps={{
          id: 'letter-prefix',
          name: 'prefix',
          defaultValue: values.prefix ?? '',
          required: true,
          autoComplete: 'honorific-prefix',
        }}
        options={[
          { value: '', label: t('flow.prefixChoose') },
          ...CWC_PREFIXES.map((p) => ({ value: p, label: t(`prefixes.${p}`) })),
        ]}
        errors={errors.prefix}
      />
      <div className="field-row">
        <Field
          label={t('form.firstName')}
          inputProps={text('firstName', 'given-name', { maxLength: 100 })}
          errors={errors.firstName}
        />
        <Field
          label={t('form.lastName')}
          inputProps={text('lastName', 'family-name', { maxLength: 100 })}
          errors={errors.lastName}
        />
      </div>
      <Field
        label={t('form.email')}
        hint={t('flow.emailHint')}
        inputProps={{ ...text('email', 'email', { maxLength: 254 }), type: 'email' }}
        errors={errors.email}
      />
      <Field
        label={t('form.street')}
        hint={t('flow.streetHint')}
        inputProps={text('street', 'street-address', { maxLength: 200 })}
        errors={errors.street}
      />
      <div className="field-row field-row-address">
        <Field
          label={t('form.city')}
          inputProps={text('city', 'address-level2', { maxLength: 100 })}
          errors={errors.city}
        />
        <SelectField
          label={t('form.state')}
          selectProps={{
            id: 'letter-state',
            name: 'state',
            defaultValue: values.state ?? '',
            required: true,
            autoComplete: 'address-level1',
          }}
          options={[
            { value: '', label: tp('form.stateChoose') },
            ...US_STATES.map(([code, name]) => ({ value: code, label: name })),
          ]}
          errors={errors.state}
        />
      </div>
      <Field
        label={t('form.zip')}
        className="field-zip"
        inputProps={text('zip', 'postal-code', {
          inputMode: 'numeric',
          maxLength: 10,
          pattern: '\\d{5}(-?\\d{4})?',
        })}
        errors={errors.zip}
      />
      <CheckboxField
        label={tp('form.optIn')}
        inputProps={{ id: 'letter-optIn', name: 'optIn', defaultChecked: values.optIn === 'on' }}
      />
      <Honeypot id="letter-website" />
      {guard}
      <Hidden values={values} omit={ADDRESS_FIELDS} />
      <button type="submit" name="intent" value="lookup">
        {t('flow.findOffices')}
      </button>
    </Form>
  )
}

/** "Change my address": back to step 1 with everything kept. */
function ChangeAddress({ values }: { values: FlowValues }) {
  const { t } = useTranslation('letters')
  return (
    <Form method="post" className="flow-change">
      <Hidden values={values} omit={['district']} />
      <button type="submit" name="intent" value="edit" className="button-secondary">
        {t('flow.changeAddress')}
      </button>
    </Form>
  )
}

function PickStep({
  flow,
  values,
  guard,
}: {
  flow: FlowState
  values: FlowValues
  guard: ReactNode
}) {
  const { t } = useTranslation('letters')
  const districtLabel = useDistrictLabel()
  return (
    <div className="flow-pick">
      <StepTitle n={1} title={t('flow.pickTitle')} />
      <p className="banner banner-warn" role="status">
        {flow.reason === 'geocoder_unavailable' ? t('flow.pickUnavailable') : t('flow.pickIntro')}
      </p>
      <Form method="post" className="form">
        <Hidden values={values} omit={['district']} />
        <fieldset>
          <legend>{t('flow.pickLegend')}</legend>
          <ul className="rep-candidates">
            {(flow.candidates ?? []).map((c) => {
              const label = districtLabel({
                chamber: 'house',
                state: c.state,
                district: c.district,
              })
              return (
                <li key={c.value}>
                  <label>
                    <input
                      type="radio"
                      name="district"
                      value={c.value}
                      required
                      defaultChecked={c.value === values.linkDistrict}
                    />
                    <span>
                      {c.name
                        ? t('flow.pickOption', { district: label, name: c.name })
                        : t('flow.pickVacant', { district: label })}
                    </span>
                  </label>
                </li>
              )
            })}
            {flow.senatorsOnly ? (
              <li>
                <label>
                  <input type="radio" name="district" value={SENATORS_ONLY} required />
                  <span>{t('flow.senatorsOnly')}</span>
                </label>
              </li>
            ) : null}
          </ul>
        </fieldset>
        {guard}
        <button type="submit" name="intent" value="lookup">
          {t('flow.pickSubmit')}
        </button>
      </Form>
      <p className="hint">{t('flow.pickOrAddress')}</p>
      <ChangeAddress values={values} />
    </div>
  )
}

function asRepresentative(s: ShownTarget): Representative {
  return {
    officeId: s.officeKey,
    name: s.name,
    firstName: '',
    lastName: '',
    chamber: s.chamber!,
    state: s.state ?? '',
    district: s.district,
    party: s.party,
    photoUrl: s.photoUrl,
    office: { phone: null, url: null, contactForm: null, email: null },
    cwcCode: null,
    vacant: s.vacant || undefined,
  }
}

function Targets({ shown }: { shown: ShownTarget[] }) {
  const { t } = useTranslation('letters')
  return (
    <section aria-labelledby="letter-targets-title" className="flow-targets">
      <h4 id="letter-targets-title">{t('flow.targetsTitle')}</h4>
      <ul className="rep-list" data-testid="letter-targets">
        {shown.map((s) => (
          <li key={s.officeKey} data-office-key={s.officeKey}>
            {s.chamber ? (
              <RepresentativeCard rep={asRepresentative(s)} headingLevel={4} showContact={false} />
            ) : (
              <article className="rep-card" aria-labelledby={`target-${s.officeKey}`}>
                <span className="rep-photo rep-photo-empty" aria-hidden="true" />
                <div className="rep-body">
                  <h4 id={`target-${s.officeKey}`}>{s.name}</h4>
                  <p>{s.title}</p>
                </div>
              </article>
            )}
            {s.vacant ? <p className="hint">{t('flow.vacantNoLetter')}</p> : null}
          </li>
        ))}
      </ul>
    </section>
  )
}

function LetterStep({
  letter,
  flow,
  values,
  errors,
  guard,
}: {
  letter: LetterFlowData
  flow: FlowState
  values: FlowValues
  errors: FlowErrors
  guard: ReactNode
}) {
  const { t } = useTranslation('letters')
  const districtLabel = useDistrictLabel()
  const name = [values.prefix, values.firstName, values.lastName].filter(Boolean).join(' ')
  const place = [values.street, values.city, [values.state, values.zip].join(' ')].join(', ')
  return (
    <div className="flow-letter">
      <StepTitle n={2} title={t('flow.letterTitle')} />
      <p>{t('flow.from', { name, place })}</p>
      {flow.note === 'senatorsOnly' ? (
        <p className="banner banner-warn">{t('flow.senatorsOnlyNote')}</p>
      ) : flow.note === 'fromLink' ? (
        <p className="banner banner-warn" data-testid="district-from-link">
          {t('flow.fromLinkNote', { district: linkDistrictLabel(values, districtLabel) })}
        </p>
      ) : flow.note ? (
        <p className="banner banner-warn">
          {t(`targets:reasons.${flow.note}`, { defaultValue: '' })}
        </p>
      ) : null}
      <Targets shown={flow.shown ?? []} />
      <Form method="post" className="form letter-form">
        <Hidden values={values} omit={['subject', 'message']} />
        <ErrorList id="letter-send-error" errors={errors['']} />
        {letter.editable ? (
          <>
            <Field
              label={t('form.subject')}
              inputProps={{
                id: 'letter-subject',
                name: 'subject',
                type: 'text',
                required: true,
                maxLength: 200,
                defaultValue: values.subject ?? letter.suggested.subject,
              }}
              errors={errors.subject}
            />
            <TextareaField
              label={t('form.message')}
              hint={t('flow.messageHint', { max: letter.maxLength })}
              textareaProps={{
                id: 'letter-message',
                name: 'message',
                required: true,
                rows: 14,
                maxLength: letter.maxLength,
                defaultValue: values.message ?? letter.suggested.body,
              }}
              errors={errors.message}
            />
          </>
        ) : (
          <section aria-labelledby="letter-preview-title" className="letter-preview">
            <h4 id="letter-preview-title">{letter.suggested.subject}</h4>
            <p className="hint">{t('flow.notEditable')}</p>
            {letter.suggested.body.split(/\n\s*\n/).map((p, i) => (
              <p key={i}>{p}</p>
            ))}
          </section>
        )}
        <p className="hint">{t('flow.mergeHint', { example: '{{targetName}}' })}</p>
        {letter.groups?.officials ? <p className="hint">{t('flow.officialsNote')}</p> : null}
        {letter.groups?.thanks ? <p className="hint">{t('flow.thanksNote')}</p> : null}
        <Honeypot id="letter-website" />
        {guard}
        <button type="submit" name="intent" value="send">
          {t('flow.send')}
        </button>
      </Form>
      <ChangeAddress values={values} />
    </div>
  )
}

/** "MT-1" as the page names districts ("MT-1", "WY at-large"…), in the reader's language. */
function linkDistrictLabel(
  values: FlowValues,
  districtLabel: ReturnType<typeof useDistrictLabel>,
): string {
  const [state = '', district = ''] = (values.linkDistrict ?? '').split('-')
  return districtLabel({ chamber: 'house', state, district })
}
