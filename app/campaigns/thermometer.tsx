import { useId } from 'react'
import { useTranslation } from 'react-i18next'

/**
 * The goal thermometer and count. A native <progress>: no inline styles (CSP), readable by AT.
 * `liveUrl`: the campaign page's count.json, which public/live-count.js polls to update this in
 * place; without JavaScript nothing changes.
 */
export function Thermometer({
  count,
  goal,
  liveUrl,
}: {
  count: number
  goal: number
  liveUrl?: string
}) {
  const { t, i18n } = useTranslation('petitions')
  const id = useId()
  const fmt = new Intl.NumberFormat(i18n.language)
  return (
    <div className="thermometer" data-live-count={liveUrl}>
      <p className="count" id={id}>
        <span data-testid="signature-count">{fmt.format(count)}</span>{' '}
        <span data-live="label">{t('count.signatures', { count })}</span>
      </p>
      <progress
        max={goal}
        value={Math.min(count, goal)}
        aria-labelledby={id}
        aria-valuetext={t('count.progress', { shown: fmt.format(count), goal: fmt.format(goal) })}
      />
      <p className="goal">{t('count.goal', { goal: fmt.format(goal) })}</p>
      {/* The count itself is not live (it would speak every 15 s); the script writes here at most
          once a minute. */}
      {liveUrl ? <p className="visually-hidden" aria-live="polite" data-live="announce" /> : null}
    </div>
  )
}
