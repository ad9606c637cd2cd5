import type { CampaignView } from '#app/campaigns/campaigns.server'
import { trackingFromUrl } from '#app/campaigns/tracking'

/** What the page-view log records of a campaign page's request (the embed's too). */
export function campaignView(request: Request, path: string): CampaignView {
  return {
    method: request.method,
    userAgent: request.headers.get('user-agent'),
    path,
    tracking: trackingFromUrl(new URL(request.url), request.headers.get('referer')),
  }
}
