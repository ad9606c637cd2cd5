import { getSql } from '#db/client'
import { listLiveCampaigns } from '#db/queries/campaigns'
import type { Locale } from '#app/i18n/config'

export async function getHomeCampaigns(locale: Locale) {
  return listLiveCampaigns(getSql(), locale)
}
