import { z } from 'zod'

// The sign form, on the server and in the browser (Conform). Messages are i18n keys.

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
