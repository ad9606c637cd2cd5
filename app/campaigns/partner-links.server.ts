import { parseWithZod } from '@conform-to/zod/v4'
import type { SubmissionResult } from '@conform-to/react'
import { knownHouseDistrict } from '#app/targets/lookup.server'
import { canonicalUrl } from './campaigns.server'
import { LINK_BUILDER_FLAG, PartnerLinkSchema, partnerLinkUrl } from './partner-links'

// The partners' link builder's answer (ADR 0908): the form's query, checked with its schema and,
// for a letter's district, against the House districts in the reference data.

export type PartnerLinkResult = {
  /** the builder's submission (null before the first use), for the form's values and errors */
  result: SubmissionResult<string[]> | null
  /** the built link when the input was valid */
  url: string | null
}

export async function buildPartnerLink(
  campaign: { slug: string; kind: string },
  query: URLSearchParams,
): Promise<PartnerLinkResult> {
  if (!query.has(LINK_BUILDER_FLAG)) return { result: null, url: null }
  const submission = parseWithZod(query, { schema: PartnerLinkSchema })
  if (submission.status !== 'success') return { result: submission.reply(), url: null }
  const link = { ...submission.value }
  if (campaign.kind === 'letter' && link.district) {
    const [, state, n] = /^([A-Z]{2})-?(\d{1,2})$/.exec(link.district) ?? []
    const ref = await knownHouseDistrict(`${state}-${Number(n)}`)
    if (!ref) {
      return {
        result: submission.reply({
          fieldErrors: { district: ['admin:partnerLinks.errors.unknownDistrict'] },
        }),
        url: null,
      }
    }
    link.district = `${ref.state}-${ref.district}`
  }
  // the campaign's address, in English: the link's own `lang` picks the page's language
  return {
    result: submission.reply(),
    url: partnerLinkUrl(canonicalUrl(campaign.slug, 'en'), campaign.kind, link),
  }
}
