import { Marked } from 'marked'
import sanitizeHtml from 'sanitize-html'

// An organizer's Markdown, as the HTML of an email: parsed by marked, then cleaned by
// sanitize-html to an allow-list, so neither raw HTML in the Markdown nor a crafted link can put
// script, styles, images (tracking pixels) or forms into supporters' mail (ADR 1100).

const marked = new Marked({ gfm: true, breaks: false, async: false })

const ALLOWED = {
  allowedTags: [
    'p',
    'br',
    'strong',
    'b',
    'em',
    'i',
    'a',
    'ul',
    'ol',
    'li',
    'blockquote',
    'h2',
    'h3',
    'h4',
    'hr',
    'code',
    'pre',
  ],
  allowedAttributes: { a: ['href'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
} satisfies sanitizeHtml.IOptions

export function markdownToSafeHtml(markdown: string): string {
  const html = marked.parse(markdown) as string
  return sanitizeHtml(html, ALLOWED).trim()
}
