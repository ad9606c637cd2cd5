import { cleanParam } from '#app/campaigns/tracking'
import { SignSchema } from './schema'

// A petition deep link: /c/:slug?firstName=Ana&lastName=Ruiz&zip=59715&source=partner fills the
// sign form's fields when the page is served (no JavaScript needed); nothing is signed until the
// signer presses Sign. `source` is the page's ordinary tracking field (app/campaigns/tracking.ts).
// See docs/decisions/0908-prefill-links-and-link-builder.md.

export type SignPrefill = { firstName?: string; lastName?: string; zip?: string }

const FIELDS = ['firstName', 'lastName', 'zip'] as const

/** Only values the sign form itself would accept; anything else is left out, silently. */
export function signPrefillFromUrl(url: URL): SignPrefill {
  const prefill: SignPrefill = {}
  for (const name of FIELDS) {
    const value = cleanParam(url.searchParams.get(name), 100)
    const parsed = value ? SignSchema.shape[name].safeParse(value) : undefined
    if (parsed?.success) prefill[name] = parsed.data
  }
  return prefill
}
