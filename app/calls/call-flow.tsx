import type { ReactNode } from 'react'
import { Form } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CheckboxField, ErrorList, Field } from '#app/components/forms'
import { Honeypot } from '#app/safety/honeypot'
import { FormDefenses, type FormDefensesProps } from '#app/safety/form-defenses'
import { useDistrictLabel } from '#app/targets/representative-card'
import type { CallOffice, CallPage, PostTarget } from './calls.server'
import { CALL_OUTCOMES, SOCIAL_NETWORKS, type CallStartValues } from './schema'

// The supporter's call flow: plain forms and links, no client JS needed. Type-only imports from
// *.server are erased at build. See docs/decisions/1200-call-campaigns.md.

export type CallStartState = {
  values: CallStartValues
  errors: Record<string, string[]>
  candidates?: Array<{ value: string; state: string; district: string; name: string | null }>
  senatorsOnly?: boolean
}

const telHref = (phone: string) => `tel:+1${phone.replace(/\D/g, '').slice(-10)}`

/** Step 1: who is calling and where they live. Posts to /c/:slug/call. */
export function CallStartForm({
  slug,
  state,
  tracking = {},
  locale,
  defenses = {},
}: {
  slug: string
  state?: CallStartState | null
  tracking?: Record<string, string | undefined>
  locale: string
  defenses?: FormDefensesProps
}) {
  const { t } = useTranslation('calls')
  const districtLabel = useDistrictLabel()
  const values = state?.values ?? {}
  const errors = state?.errors ?? {}
  const text = (name: keyof CallStartValues, autoComplete: string, max: number) => ({
    id: `call-${name}`,
    name,
    type: 'text',
    defaultValue: values[name] ?? '',
    autoComplete,
    required: true,
    maxLength: max,
  })
  const action = `/c/${slug}/call${locale === 'en' ? '' : `?lang=${locale}`}`
  return (
    <Form
      method="post"
      action={action}
      reloadDocument
      className="form call-form"
      aria-labelledby="call-start-title"
    >
      <h3 id="call-start-title">{t('start.title')}</h3>
      <p className="hint">{t('start.intro')}</p>
      <ErrorList id="call-form-error" errors={errors['']} />
      <div className="field-row">
        <Field
          label={t('start.firstName')}
          inputProps={text('firstName', 'given-name', 80)}
          errors={errors.firstName}
        />
        <Field
          label={t('start.lastName')}
          inputProps={text('lastName', 'family-name', 80)}
          errors={errors.lastName}
        />
      </div>
      <Field
        label={t('start.email')}
        hint={t('start.emailHint')}
        inputProps={{ ...text('email', 'email', 254), type: 'email' }}
        errors={errors.email}
      />
      <div className="field-row">
        <Field
          label={t('start.city')}
          inputProps={text('city', 'address-level2', 100)}
          errors={errors.city}
        />
        <Field
          label={t('start.zip')}
          className="field-zip"
          inputProps={{
            ...text('zip', 'postal-code', 10),
            inputMode: 'numeric',
            pattern: '\\d{5}(-?\\d{4})?',
          }}
          errors={errors.zip}
        />
      </div>
      <Field
        label={t('start.street')}
        hint={t('start.streetHint')}
        inputProps={{ ...text('street', 'street-address', 200), required: false }}
        errors={errors.street}
      />
      {state?.candidates?.length ? (
        <fieldset className="call-pick">
          <legend>{t('start.pickLegend')}</legend>
          <p className="banner banner-warn" role="status">
            {t('start.pickIntro')}
          </p>
          <ul className="rep-candidates">
            {state.candidates.map((c) => {
              const label = districtLabel({
                chamber: 'house',
                state: c.state,
                district: c.district,
              })
              return (
                <li key={c.value}>
                  <label>
                    <input type="radio" name="district" value={c.value} />
                    <span>
                      {c.name
                        ? t('start.pickOption', { district: label, name: c.name })
                        : t('start.pickVacant', { district: label })}
                    </span>
                  </label>
                </li>
              )
            })}
            {state.senatorsOnly ? (
              <li>
                <label>
                  <input type="radio" name="district" value="senators" />
                  <span>{t('start.senatorsOnly')}</span>
                </label>
              </li>
            ) : null}
          </ul>
        </fieldset>
      ) : null}
      <CheckboxField
        label={t('start.optIn')}
        inputProps={{ id: 'call-optIn', name: 'optIn', defaultChecked: values.optIn === 'on' }}
      />
      <Honeypot id="call-website" />
      <FormDefenses {...defenses} locale={locale} />
      <input type="hidden" name="locale" value={locale} />
      {Object.entries(tracking)
        .filter(([, v]) => v)
        .map(([k, v]) => (
          <input key={k} type="hidden" name={k} value={v} />
        ))}
      <button type="submit">{t('start.submit')}</button>
    </Form>
  )
}

function OfficeCard({
  office,
  n,
  total,
  page,
  locale,
}: {
  office: CallOffice
  n: number
  total: number
  page: CallPage
  locale: string
}) {
  const { t } = useTranslation('calls')
  const districtLabel = useDistrictLabel()
  const headingId = `office-${n}-name`
  const action = `/c/${page.slug}/call/${page.token}${locale === 'en' ? '' : `?lang=${locale}`}`
  return (
    <li id={`office-${n}`} className="call-office" data-office-key={office.officeKey}>
      <article aria-labelledby={headingId}>
        <p className="flow-step-count">{t('page.office', { n, total })}</p>
        <div className="rep-card">
          {office.photoUrl ? (
            <img
              className="rep-photo"
              src={office.photoUrl}
              alt=""
              width={72}
              height={88}
              loading="lazy"
              decoding="async"
              referrerPolicy="no-referrer"
            />
          ) : (
            <span className="rep-photo rep-photo-empty" aria-hidden="true" />
          )}
          <div className="rep-body">
            <h3 id={headingId}>{office.name}</h3>
            <p>
              {office.title} · {districtLabel(office)}
            </p>
          </div>
        </div>
        <h4>{t('page.dc')}</h4>
        {office.dcPhone ? (
          <p>
            <a className="button call-link" href={telHref(office.dcPhone)}>
              {t('page.call', { phone: office.dcPhone })}
            </a>
          </p>
        ) : (
          <p>{t('page.noPhone')}</p>
        )}
        {office.districtOffices.length ? (
          <>
            <h4>{t('page.districtTitle')}</h4>
            <ul className="call-district-offices">
              {office.districtOffices.map((d) => (
                <li key={`${d.city}-${d.phone}`}>
                  <a href={telHref(d.phone)}>
                    {t('page.district', { city: d.city, phone: d.phone })}
                  </a>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <h4>{t('page.scriptTitle')}</h4>
        <blockquote className="call-script">
          {office.script.split(/\n\s*\n/).map((p, i) => (
            <p key={i}>{p}</p>
          ))}
        </blockquote>
        <Form method="post" action={action} reloadDocument className="call-outcome">
          <input type="hidden" name="intent" value="outcome" />
          <input type="hidden" name="office" value={office.officeKey} />
          <fieldset>
            <legend>{t('page.outcomeLegend', { name: office.name })}</legend>
            {office.outcome ? (
              <p role="status" className="call-recorded">
                {t('page.recordedChange', { outcome: t(`page.outcomes.${office.outcome}`) })}
              </p>
            ) : null}
            <div className="call-outcome-buttons">
              {CALL_OUTCOMES.map((o) => (
                <button
                  key={o}
                  type="submit"
                  name="outcome"
                  value={o}
                  className={office.outcome === o ? '' : 'button-secondary'}
                  aria-pressed={office.outcome === o}
                >
                  {t(`page.outcomes.${o}`)}
                </button>
              ))}
            </div>
          </fieldset>
        </Form>
      </article>
    </li>
  )
}

/** The call page: the office-hours hint, each office in order, "Call me" when offered. */
export function CallPageView({
  page,
  locale,
  notice,
  errors = {},
}: {
  page: CallPage
  locale: string
  notice?: 'callMeStarted' | 'callMeLimit' | 'callMeFailed' | null
  errors?: Record<string, string[]>
}) {
  const { t } = useTranslation('calls')
  const lang = locale === 'en' ? '' : `?lang=${locale}`
  return (
    <article className="call-flow" aria-labelledby="call-title">
      <h1 id="call-title">
        {page.firstName ? t('page.title', { name: page.firstName }) : t('page.titleAnon')}
      </h1>
      <p className="lede">{page.headline}</p>
      <p>{t('page.intro')}</p>
      <p className={page.hours.open ? 'banner' : 'banner banner-warn'} data-testid="office-hours">
        {page.hours.open ? t('page.open') : t('page.closed')}
      </p>
      {notice ? (
        <p className={notice === 'callMeStarted' ? 'banner' : 'banner banner-warn'} role="status">
          {t(`page.${notice}`)}
        </p>
      ) : null}
      <ol className="call-offices">
        {page.offices.map((o, i) => (
          <OfficeCard
            key={o.officeKey}
            office={o}
            n={i + 1}
            total={page.offices.length}
            page={page}
            locale={locale}
          />
        ))}
      </ol>
      {page.patchThrough ? (
        <section aria-labelledby="call-me-title" className="call-me">
          <h2 id="call-me-title">{t('page.callMeTitle')}</h2>
          <p>{t('page.callMeIntro')}</p>
          <Form
            method="post"
            action={`/c/${page.slug}/call/${page.token}${lang}`}
            reloadDocument
            className="form"
          >
            <input type="hidden" name="intent" value="callme" />
            <Field
              label={t('page.phone')}
              inputProps={{
                id: 'call-phone',
                name: 'phone',
                type: 'tel',
                autoComplete: 'tel',
                required: true,
                maxLength: 30,
              }}
              errors={errors.phone}
            />
            <button type="submit">{t('page.callMe')}</button>
          </Form>
        </section>
      ) : null}
      {page.done ? <p role="status">{t('page.allDone')}</p> : null}
      <p>
        <a className="button" href={`/c/${page.slug}/call/${page.token}/thanks${lang}`}>
          {t('page.finish')}
        </a>
      </p>
    </article>
  )
}

/** "Post to your legislators": a share intent per network and office, through Writ's counter. */
export function PostToLegislators({
  slug,
  targets,
  locale,
}: {
  slug: string
  targets: PostTarget[]
  locale: string
}): ReactNode {
  const { t } = useTranslation('calls')
  if (targets.length === 0) return null
  return (
    <section aria-labelledby="posts-title" className="post-links">
      <h2 id="posts-title">{t('posts.title')}</h2>
      <p>{t('posts.intro')}</p>
      <ul>
        {targets.flatMap((target) =>
          SOCIAL_NETWORKS.map((network) => {
            const q = new URLSearchParams({ office: target.officeKey })
            if (locale !== 'en') q.set('lang', locale)
            return (
              <li key={`${target.officeKey}-${network}`}>
                <a href={`/c/${slug}/post/${network}?${q}`} rel="nofollow noopener" target="_blank">
                  {t(`posts.${network}`, { name: target.name })}
                </a>
              </li>
            )
          }),
        )}
      </ul>
    </section>
  )
}

/** On a petition's thank-you: the signer's ZIP (a GET form, nothing stored) → their legislators. */
export function PostZipForm({ zip, locale }: { zip?: string; locale: string }) {
  const { t } = useTranslation('calls')
  return (
    <section aria-labelledby="posts-zip-title" className="post-links">
      <h2 id="posts-zip-title">{t('posts.title')}</h2>
      <p>{t('posts.zipIntro')}</p>
      <Form method="get" reloadDocument className="form" preventScrollReset>
        {locale !== 'en' ? <input type="hidden" name="lang" value={locale} /> : null}
        <Field
          label={t('start.zip')}
          className="field-zip"
          inputProps={{
            id: 'posts-zip',
            name: 'postZip',
            type: 'text',
            inputMode: 'numeric',
            autoComplete: 'postal-code',
            pattern: '\\d{5}',
            maxLength: 5,
            required: true,
            defaultValue: zip ?? '',
          }}
          errors={zip ? ['calls:errors.notFound'] : undefined}
        />
        <button type="submit">{t('posts.find')}</button>
      </Form>
    </section>
  )
}
