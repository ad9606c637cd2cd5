import { useTranslation } from 'react-i18next'
import { SignForm } from '#app/petitions/sign-form'
import type { Tracking } from '#app/petitions/schema'
import type { SubmissionResult } from '@conform-to/react'

/**
 * What a supporter does on a letter campaign's page. Until the letters flow lands, a letter
 * campaign is signable like a petition, and says so plainly. The letters capability replaces
 * this component.
 */
export function LetterCampaignSection(props: {
  lastResult?: SubmissionResult<string[]> | null
  tracking: Tracking
  locale: string
}) {
  const { t } = useTranslation('petitions')
  return (
    <div className="letter-section">
      <p className="banner banner-warn">{t('letter.note')}</p>
      <SignForm {...props} />
    </div>
  )
}
