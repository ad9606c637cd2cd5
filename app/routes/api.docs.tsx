import { type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { apiReference } from '#app/api/docs.server'

export const meta: MetaFunction = () => [{ title: 'Writ — API reference' }]

export function loader() {
  return apiReference()
}

export default function ApiDocs() {
  const { operations, problems, events, schemas } = useLoaderData<typeof loader>()
  const { t } = useTranslation('api')
  return (
    <article className="prose">
      <h1>{t('docs.title')}</h1>
      <p>{t('docs.intro')}</p>
      <p>
        <a href="/api/v1/openapi.json">{t('docs.openapi')}</a>
      </p>
      <h2 id="routes-title">{t('docs.routes')}</h2>
      <div className="table-wrap" role="region" aria-labelledby="routes-title" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('docs.method')}</th>
              <th scope="col">{t('docs.path')}</th>
              <th scope="col">{t('docs.scope')}</th>
              <th scope="col">{t('docs.summary')}</th>
            </tr>
          </thead>
          <tbody>
            {operations.map((op) => (
              <tr key={op.id} id={op.id}>
                <td>
                  <code>{op.method}</code>
                </td>
                <th scope="row">
                  <code>{op.path}</code>
                </th>
                <td>
                  <code>{op.scope}</code>
                </td>
                <td>
                  {op.summary}
                  {op.fields.length ? (
                    <>
                      {' '}
                      (<code>{op.fields.join(', ')}</code>)
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('docs.paging')}</h2>
      <p>{t('docs.pagingText')}</p>
      <h2>{t('docs.limits')}</h2>
      <p>{t('docs.limitsText')}</p>
      <h2>{t('docs.erased')}</h2>
      <p>{t('docs.erasedText')}</p>
      <h2>{t('docs.problems')}</h2>
      <dl>
        {problems.map((p) => (
          <div key={p.type} id={`problem-${p.type}`}>
            <dt>
              <code>{p.status}</code> {p.type}
            </dt>
            <dd>{p.title}</dd>
          </div>
        ))}
      </dl>
      <h2>{t('docs.webhooks')}</h2>
      <p>{t('docs.webhooksText', { events: events.join(', ') })}</p>
      {schemas.map((s) => (
        <section key={s.name} aria-labelledby={`schema-${s.name}`}>
          <h3 id={`schema-${s.name}`}>{s.name}</h3>
          <p>
            <code>{s.fields.join(', ')}</code>
          </p>
        </section>
      ))}
    </article>
  )
}
