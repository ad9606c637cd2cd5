import { expect, test, vi } from 'vitest'

vi.hoisted(() => {
  process.env.DATABASE_URL ??= 'postgres://placeholder@127.0.0.1:1/none'
})

const { getServerT } = await import('#app/i18n/i18n.server')
const { renderEmail } = await import('./render')
const { default: letter, renderLetterEmail } = await import('./letter')

test('the fast letter render equals a full React render, escaped', async () => {
  const props = {
    subject: 'a&b', // three characters, like the sentinel, so the preview padding matches too
    body: 'Dear Rep. <Gray> & staff,\n\nLine one\nLine "two"\n\n\nSincerely,\nAna',
    senderName: "Ana O'Neil",
    senderEmail: 'ana@example.org',
    senderAddress: ['1 Main St', 'Modesto, CA 95354'],
    officeName: 'Representative Adam Gray',
    orgName: 'Writ',
  }
  for (const locale of ['en', 'es'] as const) {
    const t = getServerT(locale)
    const full = await renderEmail(letter, props, { t, locale })
    const fast = renderLetterEmail(props, { t, locale })
    expect(fast.html).toBe(full.html)
    expect(fast.html).not.toContain('\u0000')
    expect(fast.html).not.toContain('\u0001')
    expect(fast.html).toContain('Dear Rep. &lt;Gray&gt; &amp; staff,')
    expect(fast.text).toContain('Line "two"')
    expect(fast.text).toContain(locale === 'en' ? 'Reply to this email' : 'Responde a este correo')
  }
})
