import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Field } from '#app/components/forms'
import { getLocale, getServerT } from '#app/i18n/i18n.server'
import { getReferenceAsOf, type LookupResult } from '#app/targets/lookup.server'
import { useDistrictLabel } from '#app/targets/representative-card'
import { RepresentativesList, representativesLinks } from '#app/targets/representatives-list'
import { findRepresentatives, readRepresentativesQuery } from '#app/targets/targets.server'

export const links = representativesLinks

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? 'Find your representatives · Writ' },
]

// GET-only, so it works without JavaScript: ?zip=, then ?zip=&address= or ?zip=&district=.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const t = getServerT(await getLocale(request))
  const query = readRepresentativesQuery(new URL(request.url).searchParams)
  const base = { title: t('targets:meta.title'), query }
  if (!query.zip && !query.address) {
    return { ...base, result: null, error: null, asOf: await getReferenceAsOf() }
  }
  const found = await findRepresentatives(query, { ip: context.clientIp ?? 'unknown' })
  if (!found.ok) {
    if (found.status === 503) {
      throw data(found.error, {
        status: 503,
        headers: { 'Retry-After': String(found.retryAfter ?? 5) },
      })
    }
    const error =
      found.status === 429 || found.status === 403
        ? 'targets:errors.tooMany'
        : query.address
          ? 'targets:errors.address'
          : query.district
            ? 'targets:errors.district'
            : 'targets:errors.zip'
    return data(
      { ...base, result: null, error, asOf: await getReferenceAsOf() },
      {
        status: found.status,
        headers: found.retryAfter ? { 'Retry-After': String(found.retryAfter) } : undefined,
      },
    )
  }
  return { ...base, result: found.result, error: null, asOf: found.result.asOf }
}

export default function RepresentativesPage() {
  const { query, result, error, asOf } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation('targets')
  const navigation = useNavigation()
  const busy = navigation.state !== 'idle'
  const date = (iso: string) =>
    iso
      ? new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeZone: 'UTC' }).format(
          new Date(`${iso}T00:00:00Z`),
        )
      : '—'
  const zipError = error && !query.address && !query.district ? error : null

  return (
    <>
      <h1>{t('title')}</h1>
      <p>{t('intro')}</p>

      <Form method="get" action="/representatives" className="form" aria-busy={busy || undefined}>
        <Field
          label={t('zip.label')}
          hint={t('zip.hint')}
          errors={zipError ? [zipError] : undefined}
          inputProps={{
            name: 'zip',
            id: 'zip',
            defaultValue: query.zip ?? '',
            inputMode: 'numeric',
            autoComplete: 'postal-code',
            maxLength: 10,
            required: true,
            pattern: '\\d{5}(-?\\d{4})?',
          }}
        />
        <button type="submit">{t('zip.submit')}</button>
      </Form>

      {error && !zipError ? (
        <p className="banner banner-error" role="alert">
          {t(error)}
        </p>
      ) : null}

      {result ? <Results result={result} query={query} /> : null}

      <p className="rep-as-of">
        {t('asOf', { congress: date(asOf.congress), zip: date(asOf.zipDistricts) })}
        {asOf.openStates ? `, ${t('asOfState', { date: date(asOf.openStates) })}` : null}
      </p>
    </>
  )
}

function Results({
  result,
  query,
}: {
  result: LookupResult
  query: { zip?: string; address?: string }
}) {
  const { t } = useTranslation('targets')
  const districtLabel = useDistrictLabel()
  const needsAddress = result.status !== 'resolved'
  return (
    <section className="rep-lookup-section" aria-labelledby="results-title" aria-live="polite">
      <h2 id="results-title">{t('results.title')}</h2>
      <p>
        {query.address
          ? t('results.forAddress', { address: query.address })
          : t('results.forZip', { zip: query.zip })}
      </p>
      {result.reason ? <p className="banner banner-warn">{t(`reasons.${result.reason}`)}</p> : null}
      {result.representatives.length && result.status === 'resolved' ? (
        <RepresentativesList representatives={result.representatives} />
      ) : result.representatives.length ? (
        <>
          <h3>{t('results.senators')}</h3>
          <p>{t('results.senatorsNote')}</p>
          <RepresentativesList representatives={result.representatives} headingLevel={4} />
        </>
      ) : result.status === 'resolved' ? (
        <p>{t('results.none')}</p>
      ) : null}

      {needsAddress ? (
        <Form method="get" action="/representatives" className="form rep-lookup-section">
          <h3>{t('address.title')}</h3>
          {query.zip && result.status === 'ambiguous' ? (
            <input type="hidden" name="zip" value={query.zip} />
          ) : null}
          <Field
            label={t('address.label')}
            hint={t('address.hint')}
            inputProps={{
              name: 'address',
              id: 'address',
              defaultValue: query.address ?? '',
              autoComplete: 'street-address',
              required: true,
              minLength: 3,
              maxLength: 200,
            }}
          />
          <button type="submit">{t('address.submit')}</button>
        </Form>
      ) : null}

      {result.candidates?.length && query.zip ? (
        <Form method="get" action="/representatives" className="form">
          <input type="hidden" name="zip" value={query.zip} />
          <fieldset>
            <legend>{t('pick.legend')}</legend>
            <ul className="rep-candidates">
              {result.candidates.map((c) => {
                const value = `${c.state}-${c.district}`
                const label = districtLabel({
                  chamber: 'house',
                  state: c.state,
                  district: c.district,
                })
                return (
                  <li key={value}>
                    <label>
                      <input type="radio" name="district" value={value} required />
                      <span>
                        {c.representative && !c.representative.vacant
                          ? t('pick.option', { district: label, name: c.representative.name })
                          : t('pick.vacant', { district: label })}
                      </span>
                    </label>
                  </li>
                )
              })}
            </ul>
            <button type="submit" className="button-secondary">
              {t('pick.submit')}
            </button>
          </fieldset>
        </Form>
      ) : null}
    </section>
  )
}
