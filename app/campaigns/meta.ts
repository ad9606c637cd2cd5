import type { MetaDescriptor } from '@remix-run/node'

type MetaInput =
  | {
      campaign: { headline: string; summary: string; shareText: string }
      canonicalUrl: string
      locale: string
    }
  | undefined

/** Title, description, Open Graph and Twitter cards, and the canonical URL of a campaign. */
export function campaignMeta(data: MetaInput, { noindex = false } = {}): MetaDescriptor[] {
  if (!data) return [{ title: 'Writ' }]
  const { campaign, canonicalUrl, locale } = data
  const title = `${campaign.headline} | Writ`
  const description = campaign.summary || campaign.shareText
  const base = canonicalUrl.replace(/\?.*$/, '')
  return [
    { title },
    { name: 'description', content: description },
    { property: 'og:type', content: 'website' },
    { property: 'og:title', content: campaign.headline },
    { property: 'og:description', content: description },
    { property: 'og:url', content: canonicalUrl },
    { property: 'og:site_name', content: 'Writ' },
    { property: 'og:locale', content: locale === 'es' ? 'es_US' : 'en_US' },
    { name: 'twitter:card', content: 'summary' },
    { name: 'twitter:title', content: campaign.headline },
    { name: 'twitter:description', content: description },
    { tagName: 'link', rel: 'canonical', href: canonicalUrl },
    { tagName: 'link', rel: 'alternate', hrefLang: 'en', href: base },
    { tagName: 'link', rel: 'alternate', hrefLang: 'es', href: `${base}?lang=es` },
    { tagName: 'link', rel: 'alternate', hrefLang: 'x-default', href: base },
    ...(noindex ? [{ name: 'robots', content: 'noindex' }] : []),
  ]
}
