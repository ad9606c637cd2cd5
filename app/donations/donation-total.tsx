import { useTranslation } from 'react-i18next'
import donationStyles from './donations.css'
import { formatMoney } from './schema'

/** Add to the `links` of a route that shows <DonationTotal> (the thermometer's styles). */
export const donationStylesheet = { rel: 'stylesheet', href: donationStyles } as const

export type DonationTotalProps = {
  totals: { totalCents: number; donorCount: number; activeMonthlyCount: number }
  /** The campaign's donation goal in dollars (donation_config.goal); no bar without one. */
  goal?: number
  headingLevel?: 2 | 3
}

/**
 * A campaign's donation total and thermometer. Show it only where the campaign enables it
 * (donation_config.showTotal); the numbers come from getCampaignDonationTotals().
 */
export function DonationTotal({ totals, goal, headingLevel = 2 }: DonationTotalProps) {
  const { t, i18n } = useTranslation('donations')
  const Heading = `h${headingLevel}` as const
  const amount = formatMoney(totals.totalCents, i18n.language)
  const goalCents = goal ? goal * 100 : 0
  const percent = goalCents ? Math.min(100, Math.round((totals.totalCents / goalCents) * 100)) : 0
  return (
    <section className="donation-total thermometer" aria-labelledby="donation-total-heading">
      <Heading id="donation-total-heading">{t('total.label')}</Heading>
      <p className="count" data-testid="donation-total">
        {goalCents
          ? t('total.ofGoal', { amount, goal: formatMoney(goalCents, i18n.language) })
          : t('total.raised', { amount })}
      </p>
      {goalCents ? (
        // <progress>, not a styled div: the CSP forbids inline style attributes
        <progress
          className="donation-progress"
          max={goalCents}
          value={Math.min(totals.totalCents, goalCents)}
          aria-label={t('total.progress', { percent })}
        />
      ) : null}
      <p>
        {t('total.donors', { count: totals.donorCount })}
        {totals.activeMonthlyCount > 0
          ? ` · ${t('total.monthly', { count: totals.activeMonthlyCount })}`
          : null}
      </p>
    </section>
  )
}
