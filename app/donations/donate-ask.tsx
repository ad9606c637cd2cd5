import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

/**
 * The donation ask for a campaign's thank-you page (after signing or writing): one link to the
 * campaign's donate page, tagged so the gift's source reads "thanks".
 */
export function DonateAsk({ slug, refCode }: { slug: string; refCode?: string | null }) {
  const { t } = useTranslation('donations')
  const params = new URLSearchParams({ source: 'thanks' })
  if (refCode) params.set('ref', refCode)
  return (
    <section className="card donate-ask" aria-labelledby="donate-ask-heading">
      <h2 id="donate-ask-heading">{t('ask.heading')}</h2>
      <p>{t('ask.body')}</p>
      <p>
        <Link className="button" to={`/c/${slug}/donate?${params}`}>
          {t('ask.button')}
        </Link>
      </p>
    </section>
  )
}
