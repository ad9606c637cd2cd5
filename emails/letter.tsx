import { Heading, Text } from '@react-email/components'
import type { TFunction } from 'i18next'
import { Fragment } from 'react'
import { z } from 'zod'
import { defineEmail, renderHtmlDocument, type RenderedEmail } from './render'
import { EmailLayout } from './layout'

// The constituent's letter to one office (the email channel). Reply-To is the constituent.

export const Props = z.object({
  subject: z.string().min(1),
  body: z.string().min(1),
  senderName: z.string().min(1),
  senderEmail: z.string().email(),
  senderAddress: z.array(z.string()),
  officeName: z.string().min(1),
  orgName: z.string().min(1),
})
type LetterProps = z.infer<typeof Props>

/** Paragraphs split on blank lines; single line breaks are kept inside a paragraph. */
export function paragraphs(body: string): string[][] {
  return body
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.split(/\r?\n/))
    .filter((lines) => lines.some((l) => l.trim()))
}

function Lines({ lines }: { lines: string[] }) {
  return lines.map((line, j) => (
    <Fragment key={j}>
      {j > 0 ? <br /> : null}
      {line}
    </Fragment>
  ))
}

function LetterEmail({
  subject,
  body,
  senderName,
  senderEmail,
  senderAddress,
  officeName,
  orgName,
  t,
  locale,
}: LetterProps & { t: TFunction; locale: string }) {
  return (
    <EmailLayout
      locale={locale}
      preview={subject}
      footer={t('letters:letterEmail.footer', {
        name: senderName,
        email: senderEmail,
        org: orgName,
        office: officeName,
      })}
    >
      <Heading as="h1" style={{ fontSize: '20px' }}>
        {subject}
      </Heading>
      {paragraphs(body).map((lines, i) => (
        <Text key={i} style={{ fontSize: '16px', lineHeight: '1.5' }}>
          <Lines lines={lines} />
        </Text>
      ))}
      <Text style={{ fontSize: '14px', color: '#4a4a4a' }}>
        <Lines lines={[senderName, ...senderAddress, senderEmail]} />
      </Text>
    </EmailLayout>
  )
}

const letterTemplate = defineEmail({
  name: 'letter',
  Props,
  subject: (p) => p.subject,
  Component: LetterEmail,
})
export default letterTemplate

// The delivery engine renders one of these per (letter, office): thousands a minute. React's
// render costs milliseconds, so the template is rendered once per locale and organization with
// sentinels in place of the letter's fields, and each letter fills them in (escaped). The test
// emails/letter.test.tsx checks that the result equals a full render.
const S = {
  subject: '\u0001S\u0001',
  para: '\u0001P\u0001',
  name: '\u0001N\u0001',
  email: '\u0001E\u0001',
  address: '\u0001A\u0001',
  office: '\u0001O\u0001',
}
const shells = new Map<string, string>()

const escapeHtml = (s: string) =>
  s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#x27;')

function shellFor(orgName: string, t: TFunction, locale: string): string {
  const key = `${locale}\u0002${orgName}`
  let shell = shells.get(key)
  if (!shell) {
    shell = renderHtmlDocument(
      <LetterEmail
        subject={S.subject}
        body={S.para}
        senderName={S.name}
        senderEmail={S.email}
        senderAddress={[S.address]}
        officeName={S.office}
        orgName={orgName}
        t={t}
        locale={locale}
      />,
    )
    shells.set(key, shell)
  }
  return shell
}

/** The letter email: the same HTML as renderEmail(letter, …), without a React render each time. */
export function renderLetterEmail(
  input: z.input<typeof Props>,
  { t, locale }: { t: TFunction; locale: string },
): RenderedEmail {
  const p = Props.parse(input)
  const shell = shellFor(p.orgName, t, locale)
  const at = shell.indexOf(S.para)
  const open = shell.lastIndexOf('<p', at)
  const close = shell.indexOf('</p>', at) + '</p>'.length
  const pOpen = shell.slice(open, at)
  const pClose = shell.slice(at + S.para.length, close)
  const bodyHtml = paragraphs(p.body)
    .map((lines) => pOpen + lines.map(escapeHtml).join('<br/>') + pClose)
    .join('')
  const html = (shell.slice(0, open) + bodyHtml + shell.slice(close))
    .replaceAll(S.subject, escapeHtml(p.subject))
    .replaceAll(S.name, escapeHtml(p.senderName))
    .replaceAll(S.email, escapeHtml(p.senderEmail))
    .replaceAll(S.address, p.senderAddress.map(escapeHtml).join('<br/>'))
    .replaceAll(S.office, escapeHtml(p.officeName))
  const footer = t('letters:letterEmail.footer', {
    name: p.senderName,
    email: p.senderEmail,
    org: p.orgName,
    office: p.officeName,
  })
  const text = [
    p.body.trim(),
    [p.senderName, ...p.senderAddress, p.senderEmail].join('\n'),
    `-- \n${footer}`,
  ].join('\n\n')
  return { subject: p.subject, html, text }
}
