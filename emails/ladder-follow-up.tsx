import { Button, Heading, Link, Text } from '@react-email/components'
import { z } from 'zod'
import { EmailLayout, ListMailFooter } from './layout'
import { defineEmail } from './render'

/** The one follow-up for a ladder step: the organizer's ask and a plain link to act (ADR 1101). */
export const ladderFollowUp = defineEmail({
  name: 'ladder-follow-up',
  Props: z.object({
    title: z.string().min(1).max(200),
    text: z.string().max(5000),
    actionUrl: z.string().url(),
    actionLabel: z.string().min(1),
    unsubscribeUrl: z.string().url(),
    orgName: z.string(),
    postalAddress: z.string(),
  }),
  subject: (props) => props.title,
  Component: ({
    title,
    text,
    actionUrl,
    actionLabel,
    unsubscribeUrl,
    orgName,
    postalAddress,
    t,
    locale,
  }) => (
    <EmailLayout
      locale={locale}
      preview={title}
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
        {title}
      </Heading>
      {text
        .split(/\n{2,}/)
        .filter(Boolean)
        .map((paragraph, i) => (
          <Text key={i}>{paragraph}</Text>
        ))}
      <Button
        href={actionUrl}
        style={{
          backgroundColor: '#1d4ed8',
          color: '#ffffff',
          padding: '12px 20px',
          borderRadius: '6px',
        }}
      >
        {actionLabel}
      </Button>
      <Text>
        <Link href={actionUrl}>{actionUrl}</Link>
      </Text>
    </EmailLayout>
  ),
})
