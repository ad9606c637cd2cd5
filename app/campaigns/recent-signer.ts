import type { TFunction } from 'i18next'

type SignerShown = {
  anonymous: boolean
  displayName: string | null
  city: string | null
  state: string | null
}

/** How a recent signer is shown, on the page and in count.json: anonymous ones by neither name nor place. */
export function recentSignerLabel(t: TFunction, s: SignerShown): string {
  if (s.anonymous || !s.displayName) return t('petitions:page.anonymousSigner')
  if (!s.city) return s.displayName
  return t('petitions:page.signerFrom', {
    name: s.displayName,
    place: s.state ? `${s.city}, ${s.state}` : s.city,
  })
}
