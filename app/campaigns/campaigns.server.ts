import type { Locale } from '#app/i18n/config'
import { issueFormToken } from '#app/safety/bot-defense.server'
import { getEnv } from '#app/utils/env.server'
import { getSql } from '#db/client'
import {
  findLetterCampaignForBill,
  getPublicCampaign,
  getSignatureCount,
  listLiveCampaigns,
  listRecentSigners,
  type CampaignPage,
} from '#db/queries/campaigns'
import { countReferrals } from '#db/queries/petitions'
import { getPublicDeliverySummary } from '#db/queries/petition-deliveries'
import { recordCampaignView } from './page-cache.server'
import { cachedRead } from './read-cache.server'
import type { Tracking } from './tracking'

// The public side of a campaign: the home page's list, the campaign page, its thank-you page.

/** The campaign page's data types, for components (type-only imports are erased at build). */
export type { CampaignPage, RecentSigner, SignatureCount } from '#db/queries/campaigns'

export async function getHomeCampaigns(locale: Locale) {
  return listLiveCampaigns(getSql(), locale)
}

/**
 * A public campaign (undefined when there is none), from the one-second read cache. The only
 * campaign read a POST to /c/:slug makes: its kind decides whether it is a signature or a letter.
 */
export function getCampaign(slug: string, locale: Locale): Promise<CampaignPage | undefined> {
  return cachedRead(`${slug}:campaign:${locale}`, () => getPublicCampaign(getSql(), slug, locale))
}

/** A GET of a campaign page, as the page-view log records it. */
export type CampaignView = {
  method: string
  userAgent: string | null
  path: string
  tracking: Tracking
}

export async function getCampaignPageData(slug: string, locale: Locale, view: CampaignView) {
  const sql = getSql()
  // All four run at once on the pool; the page view insert finds the campaign by slug itself.
  const [[campaign, count, recentSigners, delivered]] = await Promise.all([
    cachedRead(`${slug}:page:${locale}`, () =>
      Promise.all([
        getPublicCampaign(sql, slug, locale),
        getSignatureCount(sql, slug),
        listRecentSigners(sql, slug),
        // "Delivered to N offices on DATE" (ADR 0901), read with the rest once a second
        getPublicDeliverySummary(sql, slug),
      ]),
    ),
    recordCampaignView({ ...view, campaignSlug: slug, locale }),
  ])
  if (!campaign) return undefined
  return {
    campaign,
    count,
    recentSigners,
    delivered: delivered
      ? { offices: delivered.offices, on: delivered.lastDeliveredAt.toISOString() }
      : null,
    tracking: view.tracking,
    canonicalUrl: canonicalUrl(slug, locale),
    // bot defenses: when the form was served (signed), and the Turnstile site key if any
    formToken: issueFormToken(),
    turnstileSiteKey: getEnv().TURNSTILE_SITE_KEY ?? null,
  }
}

export function canonicalUrl(slug: string, locale: Locale, suffix = '') {
  const base = `${getEnv().PUBLIC_URL}/c/${slug}${suffix}`
  return locale === 'en' ? base : `${base}?lang=${locale}`
}

export async function getCampaignHeadline(slug: string, locale: Locale) {
  const campaign = await getPublicCampaign(getSql(), slug, locale)
  return campaign ? { headline: campaign.headline, copyLocale: campaign.copyLocale } : undefined
}

export async function getThanksPageData(slug: string, locale: Locale, code?: string) {
  const sql = getSql()
  const [campaign, count] = await Promise.all([
    getPublicCampaign(sql, slug, locale),
    getSignatureCount(sql, slug),
  ])
  if (!campaign) return undefined
  const [letterSlug, referrals] = await Promise.all([
    campaign.kind === 'petition' ? findLetterCampaignForBill(sql, campaign.id) : undefined,
    code ? countReferrals(sql, campaign.id, code) : undefined,
  ])
  return { campaign, count, letterSlug, referrals, publicUrl: getEnv().PUBLIC_URL }
}
