// Plain share links: no third-party scripts, nothing loads until the supporter clicks.

export type ShareLink = { id: string; href: string }

export function referralUrl(publicUrl: string, slug: string, code?: string, source?: string) {
  const url = new URL(`/c/${slug}`, publicUrl)
  if (code) url.searchParams.set('ref', code)
  if (source) url.searchParams.set('source', source)
  return url.toString()
}

export function shareLinks({
  publicUrl,
  slug,
  code,
  text,
  subject,
}: {
  publicUrl: string
  slug: string
  code?: string
  text: string
  subject: string
}): ShareLink[] {
  const link = (source: string) => referralUrl(publicUrl, slug, code, source)
  const enc = encodeURIComponent
  return [
    {
      id: 'x',
      href: `https://x.com/intent/post?text=${enc(text)}&url=${enc(link('share_x'))}`,
    },
    {
      id: 'facebook',
      href: `https://www.facebook.com/sharer/sharer.php?u=${enc(link('share_facebook'))}`,
    },
    {
      id: 'whatsapp',
      href: `https://wa.me/?text=${enc(`${text} ${link('share_whatsapp')}`)}`,
    },
    {
      id: 'bluesky',
      href: `https://bsky.app/intent/compose?text=${enc(`${text} ${link('share_bluesky')}`)}`,
    },
    {
      id: 'email',
      href: `mailto:?subject=${enc(subject)}&body=${enc(`${text}\n\n${link('share_email')}`)}`,
    },
  ]
}

export function embedSnippet(publicUrl: string, slug: string, title: string) {
  const src = new URL(`/c/${slug}/embed`, publicUrl).toString()
  const script = new URL('/embed.js', publicUrl).toString()
  const safeTitle = title.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')
  return `<iframe src="${src}" title="${safeTitle}" data-writ-embed style="width:100%;max-width:40rem;height:900px;border:0" loading="lazy"></iframe>
<script src="${script}" async></script>`
}
