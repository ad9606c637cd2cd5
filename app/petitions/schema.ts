import { z } from 'zod'

// The sign form, on the server and in the browser (Conform). Messages are i18n keys.

export const HONEYPOT_FIELD = 'website'

export const US_STATES = [
  ['AL', 'Alabama'],
  ['AK', 'Alaska'],
  ['AZ', 'Arizona'],
  ['AR', 'Arkansas'],
  ['CA', 'California'],
  ['CO', 'Colorado'],
  ['CT', 'Connecticut'],
  ['DE', 'Delaware'],
  ['DC', 'District of Columbia'],
  ['FL', 'Florida'],
  ['GA', 'Georgia'],
  ['HI', 'Hawaii'],
  ['ID', 'Idaho'],
  ['IL', 'Illinois'],
  ['IN', 'Indiana'],
  ['IA', 'Iowa'],
  ['KS', 'Kansas'],
  ['KY', 'Kentucky'],
  ['LA', 'Louisiana'],
  ['ME', 'Maine'],
  ['MD', 'Maryland'],
  ['MA', 'Massachusetts'],
  ['MI', 'Michigan'],
  ['MN', 'Minnesota'],
  ['MS', 'Mississippi'],
  ['MO', 'Missouri'],
  ['MT', 'Montana'],
  ['NE', 'Nebraska'],
  ['NV', 'Nevada'],
  ['NH', 'New Hampshire'],
  ['NJ', 'New Jersey'],
  ['NM', 'New Mexico'],
  ['NY', 'New York'],
  ['NC', 'North Carolina'],
  ['ND', 'North Dakota'],
  ['OH', 'Ohio'],
  ['OK', 'Oklahoma'],
  ['OR', 'Oregon'],
  ['PA', 'Pennsylvania'],
  ['RI', 'Rhode Island'],
  ['SC', 'South Carolina'],
  ['SD', 'South Dakota'],
  ['TN', 'Tennessee'],
  ['TX', 'Texas'],
  ['UT', 'Utah'],
  ['VT', 'Vermont'],
  ['VA', 'Virginia'],
  ['WA', 'Washington'],
  ['WV', 'West Virginia'],
  ['WI', 'Wisconsin'],
  ['WY', 'Wyoming'],
  ['AS', 'American Samoa'],
  ['GU', 'Guam'],
  ['MP', 'Northern Mariana Islands'],
  ['PR', 'Puerto Rico'],
  ['VI', 'U.S. Virgin Islands'],
] as const

const stateCodes = US_STATES.map(([code]) => code) as [string, ...string[]]

const required = { error: 'errors.required' }

const name = z.string(required).trim().min(1, 'errors.required').max(80, 'errors.tooLong')
const optionalText = (max: number) => z.string().trim().max(max, 'errors.tooLong').optional()
// Tracking fields travel as hidden inputs; anything odd is dropped rather than refused.
const tracking = (max: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v ? v.trim().slice(0, max) || undefined : undefined))

export const ZIP_PATTERN = /^\d{5}(?:-?\d{4})?$/

export const SignSchema = z.object({
  firstName: name,
  lastName: name,
  email: z
    .string(required)
    .trim()
    .toLowerCase()
    .max(254, 'errors.tooLong')
    .email({ error: 'errors.email' }),
  // ZIP+4 is accepted and stored as its first five digits.
  zip: z
    .string(required)
    .trim()
    .regex(ZIP_PATTERN, 'errors.zip')
    .transform((zip) => zip.slice(0, 5)),
  street: optionalText(200),
  city: optionalText(100),
  state: z.enum(stateCodes, { error: 'errors.state' }).optional(),
  comment: optionalText(1000),
  optIn: z.boolean().default(false),
  anonymous: z.boolean().default(false),
  // hidden: where the signer came from, and the page's language
  locale: z.enum(['en', 'es']).optional().catch(undefined),
  source: tracking(100),
  ref: tracking(32),
  utmSource: tracking(200),
  utmMedium: tracking(200),
  utmCampaign: tracking(200),
  utmTerm: tracking(200),
  utmContent: tracking(200),
  referrerHost: tracking(255),
})

export type SignInput = z.output<typeof SignSchema>

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
