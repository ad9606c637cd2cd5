import fc from 'fast-check'
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser'
import MailComposer from 'nodemailer/lib/mail-composer'
import { expect, test, vi } from 'vitest'

vi.hoisted(() => {
  process.env.DATABASE_URL ??= 'postgres://placeholder@127.0.0.1:1/none'
})

const { composeMessage } = await import('./mail.server')

// The engine's one-string message must read exactly like nodemailer's own composition of the same
// mail, for any names, subject and body: checked through an independent parser (mailparser).

const addresses = (a: AddressObject | AddressObject[] | undefined) =>
  [a ?? []].flat().flatMap((o) => o.value.map((v) => ({ name: v.name, address: v.address })))

function reading(m: ParsedMail) {
  return {
    from: addresses(m.from),
    to: addresses(m.to),
    replyTo: addresses(m.replyTo),
    subject: m.subject,
    messageId: m.messageId,
    html: m.html,
    text: m.text,
    letter: m.headers.get('x-writ-letter'),
    mimeVersion: m.headers.get('mime-version'),
    hasDate: m.date instanceof Date && !Number.isNaN(m.date.getTime()),
  }
}

test('a composed letter reads exactly like nodemailer’s own composition', async () => {
  const name = fc.oneof(
    fc.constantFrom('Ana Rivera', 'José Núñez', 'O\'Brien, "Jr."', 'Zoë <Ops>', 'a'.repeat(90)),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
  )
  const body = fc.string({ unit: 'grapheme', maxLength: 400 })
  await fc.assert(
    fc.asyncProperty(name, name, body, body, async (sender, subject, html, text) => {
      const mail = {
        from: { name: `${sender} via Writ`, address: 'letters@writ.test' },
        to: 'office@example.org',
        replyTo: { name: sender, address: 'ana@example.org' },
        subject: `Pass S. 2525: ${subject}`,
        html: `<p>${html}</p>`,
        text: `${text}.`,
        messageId: '<abc123@writ.test>',
        headers: { 'X-Writ-Letter': 'a1b2c3' },
      }
      const ours = composeMessage(mail)
      expect(ours.envelope).toEqual({ from: 'letters@writ.test', to: ['office@example.org'] })
      const theirs = await new MailComposer(mail).compile().build()
      const [a, b] = await Promise.all([simpleParser(ours.raw), simpleParser(theirs)])
      expect(reading(a)).toEqual(reading(b))
      expect(reading(a).hasDate).toBe(true)
      for (const line of ours.raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998)
      expect(ours.raw).not.toMatch(/[^\r]\n/)
    }),
    { numRuns: 150 },
  )
})
