import { Section } from '@react-email/components'
import { z } from 'zod'
import { EmailLayout, ListMailFooter } from './layout'
import { defineEmail } from './render'

/**
 * An organizer's mailing to supporters. `bodyHtml` is the organizer's Markdown rendered and
 * sanitized by app/mailings (an allow-list of tags; links only to http, https and mailto). No
 * tracking pixel, no rewritten links (ADR 1100).
 */
export const mailing = defineEmail({
  name: 'mailing',
  Props: z.object({
    subject: z.string().min(1).max(200),
    bodyHtml: z.string().min(1).max(200_000),
    unsubscribeUrl: z.string().url(),
    orgName: z.string(),
    postalAddress: z.string(),
  }),
  subject: (props) => props.subject,
  Component: ({ subject, bodyHtml, unsubscribeUrl, orgName, postalAddress, t, locale }) => (
    <EmailLayout
      locale={locale}
      preview={subject}
      footer={
        <ListMailFooter
          t={t}
          orgName={orgName}
          postalAddress={postalAddress}
          unsubscribeUrl={unsubscribeUrl}
        />
      }
    >
      <Section>
        <div dangerouslySetInnerHTML={{ __html: bodyHtml }} />
      </Section>
    </EmailLayout>
  ),
})
