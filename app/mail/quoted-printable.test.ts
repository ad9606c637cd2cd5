import fc from 'fast-check'
import { simpleParser } from 'mailparser'
import MailComposer from 'nodemailer/lib/mail-composer'
import { expect, test } from 'vitest'
import { encodeQuotedPrintable } from './quoted-printable'
import { preEncodedPart } from './mail.server'

// The engine's own quoted-printable encoder, checked against an independent decoder (mailparser)
// on whole messages built by nodemailer, exactly as the engine sends them.

async function roundTrip(html: string, text: string) {
  const message = await new MailComposer({
    from: 'Writ <letters@writ.test>',
    to: 'office@example.org',
    subject: 'Pass S. 2525',
    html: preEncodedPart('text/html', html),
    text: preEncodedPart('text/plain', text),
  })
    .compile()
    .build()
  return { message: message.toString('latin1'), parsed: await simpleParser(message) }
}

const lines = (s: string) => s.split('\r\n')

test('encodes what must be encoded and wraps lines at 76 characters', () => {
  expect(encodeQuotedPrintable('a=b')).toBe('a=3Db')
  expect(encodeQuotedPrintable('José')).toBe('Jos=C3=A9')
  expect(encodeQuotedPrintable('end \nnext\t\r\nlast ')).toBe('end=20\r\nnext=09\r\nlast=20')
  const long = encodeQuotedPrintable('x'.repeat(200))
  expect(lines(long).map((l) => l.length)).toEqual([76, 76, 50]) // 75 characters and a soft-break "=", twice, then 50
  expect(
    lines(long)
      .slice(0, 2)
      .every((l) => l.endsWith('=')),
  ).toBe(true)
  // an escape is never split by a soft break
  const escapes = encodeQuotedPrintable('é'.repeat(40))
  expect(lines(escapes).every((l) => /^(=[0-9A-F]{2})*=?$/.test(l) && l.length <= 76)).toBe(true)
  expect(encodeQuotedPrintable('')).toBe('')
})

test('any text survives a round trip through a real MIME parser', async () => {
  const char = fc.oneof(
    fc.constantFrom(
      ' ',
      '\t',
      '\n',
      '\r\n',
      '=',
      '.',
      '<p style="a">',
      '&amp;',
      'é',
      '😀',
      '\u200c',
    ),
    fc.string({ unit: 'grapheme', maxLength: 3 }),
  )
  const textArb = fc.array(char, { maxLength: 300 }).map((parts) => parts.join(''))
  await fc.assert(
    fc.asyncProperty(textArb, textArb, async (html, text) => {
      const { message, parsed } = await roundTrip(`<p>${html}</p>`, `${text}.`)
      expect(parsed.html).toBe(`<p>${html}</p>`.replaceAll(/\r?\n/g, '\n'))
      expect(parsed.text).toBe(`${text}.`.replaceAll(/\r?\n/g, '\n'))
      for (const line of lines(message)) expect(line.length).toBeLessThanOrEqual(78)
      expect(message).not.toMatch(/[^\r]\n/)
    }),
    { numRuns: 200 },
  )
})
