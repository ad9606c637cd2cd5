// Where a campaign page's visitor came from: read from the URL, carried by the forms' hidden
// fields, stored with page views and signatures.

/** Tracking parameters read from a campaign URL, as the sign form's hidden fields carry them. */
export type Tracking = {
  source?: string
  ref?: string
  utmSource?: string
  utmMedium?: string
  utmCampaign?: string
  utmTerm?: string
  utmContent?: string
  referrerHost?: string
}

/**
 * A query parameter as text we may show and store: control characters dropped (a NUL cannot be
 * stored in Postgres text, and none belongs in a link tag), trimmed, capped at `max`.
 */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001F\u007F]/g

export function cleanParam(value: string | null, max: number): string | undefined {
  return value?.replace(CONTROL_CHARS, '').trim().slice(0, max) || undefined
}

export function trackingFromUrl(url: URL, referer: string | null): Tracking {
  const p = url.searchParams
  const pick = (k: string, max: number) => cleanParam(p.get(k), max)
  let referrerHost: string | undefined
  try {
    const host = referer ? new URL(referer).host : undefined
    referrerHost = host && host !== url.host ? host.slice(0, 255) : undefined
  } catch {
    referrerHost = undefined
  }
  return {
    source: pick('source', 100),
    ref: pick('ref', 32),
    utmSource: pick('utm_source', 200),
    utmMedium: pick('utm_medium', 200),
    utmCampaign: pick('utm_campaign', 200),
    utmTerm: pick('utm_term', 200),
    utmContent: pick('utm_content', 200),
    referrerHost,
  }
}
