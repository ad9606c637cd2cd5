import { type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getCampaignPreview } from '#app/campaigns/editor.server'
import { getLocale } from '#app/i18n/i18n.server'
import { requireOrganizer } from '#app/http/session.server'

// The public page's content for any campaign, drafts included, shown only to organizers.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireOrganizer(request)
  const id = params.id ?? ''
  const preview = /^[0-9a-f-]{36}$/i.test(id)
    ? await getCampaignPreview(id, await getLocale(request))
    : undefined
  if (!preview) throw new Response('Campaign not found', { status: 404 })
  return preview
}

export default function CampaignPreview() {
  const { campaign, copy, targets, committees, committeeMode, thanks } =
    useLoaderData<typeof loader>()
  const { t } = useTranslation('admin')
  return (
    <article lang={copy?.locale}>
      <p className="banner banner-warn" role="note">
        {t('preview.banner', { status: t(`status.${campaign.status}`) })}{' '}
        <Link to={`/admin/campaigns/${campaign.id}`}>{t('preview.back')}</Link>
      </p>
      {!copy ? (
        <p>{t('preview.noCopy')}</p>
      ) : (
        <>
          <h1>{copy.headline}</h1>
          {copy.summary ? <p className="lede">{copy.summary}</p> : null}
          {copy.story.split(/\n{2,}/).map((p, i) => (p.trim() ? <p key={i}>{p}</p> : null))}
          {copy.facts.length ? (
            <>
              <h2>{t('preview.facts')}</h2>
              <ul>
                {copy.facts.map((f, i) => (
                  <li key={i}>
                    {f.text} (<a href={f.sourceUrl}>{f.sourceTitle}</a>)
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {copy.ask ? <p className="ask">{copy.ask}</p> : null}
          {campaign.kind === 'letter' && copy.letterBody ? (
            <>
              <h2>{t('preview.letter')}</h2>
              <p>
                <strong>{copy.letterSubject}</strong>
              </p>
              <pre className="letter">{copy.letterBody}</pre>
              {targets.length ? (
                <>
                  <h3>{t('preview.customTargets')}</h3>
                  <ul>
                    {targets.map((tg) => (
                      <li key={tg.id}>
                        {tg.name}, {tg.title}
                        {tg.salutation ? ` (“${tg.salutation}”)` : ''}
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
              {copy.officialsBody ? (
                <>
                  <h2>{t('preview.officialsLetter')}</h2>
                  <p>
                    <strong>{copy.officialsSubject}</strong>
                  </p>
                  <pre className="letter">{copy.officialsBody}</pre>
                </>
              ) : null}
              {copy.thanksBody ? (
                <>
                  <h2>{t('preview.thanksLetter')}</h2>
                  <p>
                    <strong>{copy.thanksSubject}</strong>
                  </p>
                  <pre className="letter">{copy.thanksBody}</pre>
                  <h3>{t('preview.thanksList')}</h3>
                  <ul>
                    {thanks.map((l) => (
                      <li key={l.id}>
                        {l.name ?? t('preview.thanksUnknown')} ({l.id})
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
            </>
          ) : null}
          {committees.length ? (
            <section aria-labelledby="preview-committees">
              <h2 id="preview-committees">
                {t(
                  committeeMode === 'every' ? 'preview.committeesEvery' : 'preview.committeesMine',
                )}
              </h2>
              <ul>
                {committees.map((c) => (
                  <li key={c.id}>
                    <strong>{c.name}</strong> ({c.id}).{' '}
                    {t('preview.chair', { name: c.chair?.name ?? t('preview.none') })}{' '}
                    {t('preview.ranking', { name: c.ranking?.name ?? t('preview.none') })}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {copy.thankYou ? (
            <>
              <h2>{t('preview.thankYou')}</h2>
              <p>{copy.thankYou}</p>
            </>
          ) : null}
        </>
      )}
    </article>
  )
}
