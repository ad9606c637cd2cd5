import type { Locale } from '#app/i18n/config'
import { getServerT } from '#app/i18n/i18n.server'
import { getSql } from '#db/client'
import { getPublicCampaign, getSignatureCount, listRecentSigners } from '#db/queries/campaigns'
import { cachedRead } from './read-cache.server'
import { recentSignerLabel } from './recent-signer'

/** What the campaign page's live-count script reads (GET /c/:slug/count.json), already in words. */
export type LiveCount = {
  count: number
  goal: number
  /** the count as the page prints it ("1,234") and the word after it ("signatures") */
  shown: string
  label: string
  /** the progress bar's aria-valuetext, and what the polite live region announces */
  valueText: string
  recent: string[]
}

/**
 * The live count from the same one-second read cache as the campaign page (the same key, so a
 * page view and a poll share one read, and a signature in this process drops both at once): at
 * any number of polls the database answers at most once a second per campaign and language.
 */
export async function getLiveCount(slug: string, locale: Locale): Promise<LiveCount | undefined> {
  const sql = getSql()
  const read = await cachedRead(`${slug}:page:${locale}`, () =>
    Promise.all([
      getPublicCampaign(sql, slug, locale),
      getSignatureCount(sql, slug),
      listRecentSigners(sql, slug),
    ]),
  )
  // Worded once per cached read (the read is per campaign and language): at thousands of polls a
  // second, building the number format and the translations for each one cost more than the poll.
  let live = worded.get(read)
  if (!live) {
    live = word(read, locale)
    worded.set(read, live)
  }
  return live ?? undefined
}

type CachedRead = [
  Awaited<ReturnType<typeof getPublicCampaign>>,
  Awaited<ReturnType<typeof getSignatureCount>>,
  Awaited<ReturnType<typeof listRecentSigners>>,
]

const worded = new WeakMap<CachedRead, LiveCount | null>()

function word([campaign, count, recentSigners]: CachedRead, locale: Locale): LiveCount | null {
  if (!campaign) return null
  const t = getServerT(locale)
  const fmt = new Intl.NumberFormat(locale)
  const shown = fmt.format(count.total)
  return {
    count: count.total,
    goal: campaign.goal,
    shown,
    label: t('petitions:count.signatures', { count: count.total }),
    valueText: t('petitions:count.progress', { shown, goal: fmt.format(campaign.goal) }),
    recent: recentSigners.map((s) => recentSignerLabel(t, s)),
  }
}
