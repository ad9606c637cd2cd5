import { useTranslation } from 'react-i18next'
import type { NextAsk } from './ladders.server'

// Type-only import from a .server module: erased at build, no server code reaches the browser.

/** The one next ask on a thank-you or letter-sent page: the ladder's first step not yet done. */
export function NextAskSection({
  ask,
  headingId = 'next-title',
}: {
  ask: NextAsk
  headingId?: string
}) {
  const { t } = useTranslation('ladders')
  return (
    <section aria-labelledby={headingId} className="next-ask" data-testid="next-ask">
      <h2 id={headingId}>{t('ask.title')}</h2>
      <h3>{ask.title}</h3>
      {ask.text
        ? ask.text
            .split(/\n{2,}/)
            .filter(Boolean)
            .map((p, i) => <p key={i}>{p}</p>)
        : null}
      <p>
        <a className="button" href={ask.href}>
          {t(`ask.${ask.button}`)}
        </a>
      </p>
    </section>
  )
}
