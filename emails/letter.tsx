import { Heading, Text } from '@react-email/components'
import { z } from 'zod'
import { defineEmail } from './render'
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

/** Paragraphs split on blank lines; single line breaks are kept inside a paragraph. */
export function paragraphs(body: string): string[][] {
  return body
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.split(/\r?\n/))
    .filter((lines) => lines.some((l) => l.trim()))
}

export default defineEmail({
  name: 'letter',
  Props,
  subject: (p) => p.subject,
  Component: ({
    subject,
    body,
    senderName,
    senderEmail,
    senderAddress,
    officeName,
    orgName,
    t,
    locale,
  }) => (
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
          {lines.map((line, j) => (
            <span key={j}>
              {j > 0 ? <br /> : null}
              {line}
            </span>
          ))}
        </Text>
      ))}
      <Text style={{ fontSize: '14px', color: '#4a4a4a' }}>
        {senderName}
        {senderAddress.map((line) => (
          <span key={line}>
            <br />
            {line}
          </span>
        ))}
        <br />
        {senderEmail}
      </Text>
    </EmailLayout>
  ),
})
