import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { Form, Link, useNavigation, useRouteLoaderData } from '@remix-run/react'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { CheckboxField, ErrorList, Field } from '#app/components/forms'
import { Honeypot } from '#app/safety/honeypot'
import { DonationTotal } from './donation-total'
import {
  createDonationSchema,
  formatMoney,
  MIN_AMOUNT,
  OTHER_AMOUNT,
  type DonationConfig,
} from './schema'

// The donate form, shared by /donate and /c/:slug/donate. Works without JavaScript: the radios
// and the "other amount" box post as a plain form; with JS, Conform validates as you go.

export function TestModeBanner() {
  const { t } = useTranslation('donations')
  const root = useRouteLoaderData('root') as { env?: { STRIPE_TEST_MODE?: boolean } } | undefined
  if (!root?.env?.STRIPE_TEST_MODE) return null
  return (
    <p className="banner banner-warn test-mode-banner" role="note">
      {t('testMode')}
    </p>
  )
}

export type DonatePageData = {
  campaign: { id: string; slug: string; headline: string; locale: string } | null
  config: DonationConfig
  totals: { totalCents: number; donorCount: number; activeMonthlyCount: number } | null
  formId: string
  /** signed "served at" timestamp (minimum fill time; app/safety/bot-defense.server.ts) */
  formToken?: string
  source: string | null
  ref: string | null
  canceled: boolean
}

export function DonatePage({
  data,
  lastResult,
}: {
  data: DonatePageData
  lastResult?: SubmissionResult<string[]>
}) {
  const { t, i18n } = useTranslation('donations')
  const navigation = useNavigation()
  const { campaign, config, totals } = data
  const schema = useMemo(
    () => createDonationSchema({ maxAmount: config.maxAmount }),
    [config.maxAmount],
  )
  const suggested = config.amounts.map(String)
  const [form, fields] = useForm({
    id: 'donate',
    lastResult,
    constraint: getZodConstraint(schema),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    defaultValue: {
      frequency: 'once',
      amount: suggested[Math.min(1, suggested.length - 1)],
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  })
  const initialAmount = String(fields.amount.initialValue ?? '')
  const initialCustom = String(fields.customAmount.initialValue ?? '')
  const [amountChoice, setAmountChoice] = useState(
    initialCustom || !suggested.includes(initialAmount) ? OTHER_AMOUNT : initialAmount,
  )
  const [custom, setCustom] = useState(initialCustom)
  const frequency = String(fields.frequency.initialValue ?? 'once')
  const amountErrorId = fields.amount.errors?.length ? `${fields.amount.id}-error` : undefined
  const money = (dollars: number) => formatMoney(dollars * 100, i18n.language)
  const busy = navigation.state !== 'idle' && navigation.formMethod?.toLowerCase() === 'post'

  return (
    <>
      <h1>{campaign ? t('page.campaignTitle') : t('page.title')}</h1>
      {campaign ? (
        <p lang={campaign.locale !== i18n.language ? campaign.locale : undefined}>
          <strong>{campaign.headline}</strong>
        </p>
      ) : null}
      <TestModeBanner />
      {data.canceled ? (
        <p className="banner banner-warn" role="status">
          {t('page.canceled')}
        </p>
      ) : null}
      <p>{t('page.intro')}</p>
      {totals ? <DonationTotal totals={totals} goal={config.goal} /> : null}

      <Form method="post" className="form" {...getFormProps(form)}>
        <input type="hidden" name="formId" value={data.formId} />
        {data.formToken ? <input type="hidden" name="formStarted" value={data.formToken} /> : null}
        <Honeypot id="donate-website" />
        {data.source ? <input type="hidden" name="source" value={data.source} /> : null}
        {data.ref ? <input type="hidden" name="ref" value={data.ref} /> : null}
        <ErrorList id={form.errorId} errors={form.errors} />

        <fieldset>
          <legend>{t('page.frequency')}</legend>
          <div className="frequency-options">
            {(['once', 'monthly'] as const).map((f) => (
              <div className="frequency-option" key={f}>
                <input
                  type="radio"
                  id={`frequency-${f}`}
                  name={fields.frequency.name}
                  value={f}
                  defaultChecked={frequency === f}
                />
                <label htmlFor={`frequency-${f}`}>{t(`page.${f}`)}</label>
              </div>
            ))}
          </div>
          <ErrorList errors={fields.frequency.errors} />
        </fieldset>

        <fieldset aria-describedby={amountErrorId}>
          <legend>{t('page.amount')}</legend>
          <div className="amount-options">
            {suggested.map((a) => (
              <div className="amount-option" key={a}>
                <input
                  type="radio"
                  id={`amount-${a}`}
                  name={fields.amount.name}
                  value={a}
                  checked={amountChoice === a}
                  onChange={() => {
                    setAmountChoice(a)
                    setCustom('')
                  }}
                />
                <label htmlFor={`amount-${a}`}>{money(Number(a))}</label>
              </div>
            ))}
            <div className="amount-option">
              <input
                type="radio"
                id="amount-other"
                name={fields.amount.name}
                value={OTHER_AMOUNT}
                checked={amountChoice === OTHER_AMOUNT}
                onChange={() => setAmountChoice(OTHER_AMOUNT)}
              />
              <label htmlFor="amount-other">{t('page.other')}</label>
            </div>
          </div>
          <Field
            label={t('page.customAmount')}
            hint={t('page.customHint', { min: money(MIN_AMOUNT), max: money(config.maxAmount) })}
            inputProps={{
              id: fields.customAmount.id,
              name: fields.customAmount.name,
              type: 'text',
              inputMode: 'decimal',
              autoComplete: 'off',
              value: custom,
              onChange: (e) => {
                setCustom(e.currentTarget.value)
                if (e.currentTarget.value) setAmountChoice(OTHER_AMOUNT)
              },
            }}
            errors={fields.amount.errors}
          />
        </fieldset>

        <CheckboxField
          label={t('page.coverFees')}
          inputProps={getInputProps(fields.coverFees, { type: 'checkbox' })}
          errors={fields.coverFees.errors}
        />

        <div className="field-row">
          <Field
            label={t('page.firstName')}
            inputProps={{
              ...getInputProps(fields.firstName, { type: 'text' }),
              autoComplete: 'given-name',
            }}
            errors={fields.firstName.errors}
          />
          <Field
            label={t('page.lastName')}
            inputProps={{
              ...getInputProps(fields.lastName, { type: 'text' }),
              autoComplete: 'family-name',
            }}
            errors={fields.lastName.errors}
          />
        </div>
        <Field
          label={t('page.email')}
          hint={t('page.emailHint')}
          inputProps={{ ...getInputProps(fields.email, { type: 'email' }), autoComplete: 'email' }}
          errors={fields.email.errors}
        />
        <div>
          <button type="submit" disabled={busy}>
            {t('page.submit')}
          </button>
        </div>
        <p className="hint">{t('page.secure')}</p>
      </Form>
      <p>
        <Link to="/donate/manage">{t('page.manage')}</Link>
      </p>
    </>
  )
}

export function ThanksPage({
  data,
}: {
  data: {
    campaign: { slug: string; headline: string } | null
    config: DonationConfig
    totals: { totalCents: number; donorCount: number; activeMonthlyCount: number } | null
    summary: { amountCents: number; currency: string; recurring: boolean } | null
  }
}) {
  const { t, i18n } = useTranslation('donations')
  const { summary } = data
  return (
    <>
      <h1>{t('thanks.title')}</h1>
      <TestModeBanner />
      <p className="banner banner-ok" role="status">
        {summary
          ? t(summary.recurring ? 'thanks.amountMonthly' : 'thanks.amountOnce', {
              amount: formatMoney(summary.amountCents, i18n.language, summary.currency),
            })
          : t('thanks.generic')}
      </p>
      <p>{t('thanks.receipt')}</p>
      {summary?.recurring ? (
        <p>
          <Link to="/donate/manage">{t('thanks.manage')}</Link>
        </p>
      ) : null}
      {data.totals ? <DonationTotal totals={data.totals} goal={data.config.goal} /> : null}
      <p>
        {data.campaign ? (
          <Link to={`/c/${data.campaign.slug}`}>{t('thanks.back')}</Link>
        ) : (
          <Link to="/">{t('thanks.home')}</Link>
        )}
      </p>
    </>
  )
}
