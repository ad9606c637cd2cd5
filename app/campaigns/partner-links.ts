import { z } from 'zod'

// The partners' link builder on the campaign editor (ADR 0908): a GET form whose answer is the
// campaign's public link with a source, a letter's district, or a petition's prefill. Client-safe
// (one schema for the server and the form). Messages are i18n keys.

/** Marks the builder's GET (the editor page's own query has other parameters). */
export const LINK_BUILDER_FLAG = 'link'

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001F\u007F]/
const optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'errors.tooLong')
    .refine((v) => !CONTROL_CHARS.test(v), 'admin:partnerLinks.errors.characters')
    .optional()

export const PartnerLinkSchema = z.object({
  // what the dashboard's sources list shows: short, no spaces, so it survives any mail tool
  source: z
    .string()
    .trim()
    .max(100, 'errors.tooLong')
    .regex(/^[A-Za-z0-9._~-]+$/, 'admin:partnerLinks.errors.source')
    .optional(),
  district: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}-?\d{1,2}$/, 'admin:partnerLinks.errors.district')
    .optional(),
  // a partner's merge tag ({{first_name}}, *|FNAME|*) or a fixed value; checked again on the page
  firstName: optional(80),
  lastName: optional(80),
  zip: optional(40),
  lang: z.enum(['en', 'es']).optional(),
})
export type PartnerLink = z.infer<typeof PartnerLinkSchema>

/**
 * Percent-encodes a value but the braces, pipes and asterisks of merge tags, which a partner's
 * mail tool must find intact to replace with each reader's own value.
 */
function encodeValue(value: string): string {
  return encodeURIComponent(value).replace(/%7B/g, '{').replace(/%7D/g, '}').replace(/%7C/g, '|')
}

/** The public link: `base` is the campaign page's absolute URL, without a query. */
export function partnerLinkUrl(
  base: string,
  kind: 'petition' | 'letter' | string,
  link: PartnerLink & { district?: string },
): string {
  const params: Array<[string, string | undefined]> = [['source', link.source]]
  if (kind === 'letter') params.push(['district', link.district])
  else {
    params.push(['firstName', link.firstName], ['lastName', link.lastName], ['zip', link.zip])
  }
  params.push(['lang', link.lang])
  const query = params
    .filter((p): p is [string, string] => Boolean(p[1]))
    .map(([k, v]) => `${k}=${encodeValue(v)}`)
    .join('&')
  return query ? `${base}?${query}` : base
}
