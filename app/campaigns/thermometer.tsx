import { useId } from 'react'
import { useTranslation } from 'react-i18next'

/** The goal thermometer and live count. A native <progress>: no inline styles (CSP), readable by AT. */
export function Thermometer({ count, goal }: { count: number; goal: number }) {
  const { t, i18n } = useTranslation('petitions')
  const id = useId()
  const fmt = new Intl.NumberFormat(i18n.language)
  return (
    <div className="thermometer">
      <p className="count" id={id}>
        <span data-testid="signature-count">{fmt.format(count)}</span>{' '}
        {t('count.signatures', { count })}
      </p>
      <progress
        max={goal}
        value={Math.min(count, goal)}
        aria-labelledby={id}
        aria-valuetext={t('count.progress', { shown: fmt.format(count), goal: fmt.format(goal) })}
      />
      <p className="goal">{t('count.goal', { goal: fmt.format(goal) })}</p>
    </div>
  )
}
