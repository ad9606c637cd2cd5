import { Heading, Text } from '@react-email/components'
import { z } from 'zod'
import { EmailLayout, ListMailFooter } from './layout'
import { defineEmail } from './render'

export const campaignUpdate = defineEmail({
  name: 'campaign-update',
  Props: z.object({
    subject: z.string().min(1).max(200),
    body: z.string().min(1).max(20_000),
    unsubscribeUrl: z.string().url(),
    orgName: z.string(),
    postalAddress: z.string(),
  }),
  subject: (props) => props.subject,
  Component: ({ subject, body, unsubscribeUrl, orgName, postalAddress, t, locale }) => (
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
      <Heading as="h1" style={{ fontSize: '22px' }}>
        {subject}
      </Heading>
      {body.split(/\n{2,}/).map((paragraph, i) => (
        // Organizer text is rendered as text, never as HTML.
        <Text key={i}>{paragraph}</Text>
      ))}
    </EmailLayout>
  ),
})
