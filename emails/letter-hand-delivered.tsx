import { Heading, Link, Text } from '@react-email/components'
import { z } from 'zod'
import { EmailLayout } from './layout'
import { defineEmail } from './render'

// The short update a writer gets when a packet holding their letter is marked hand-delivered
// after their receipt went out (the receipt said "awaiting hand delivery" for that office).

export const Props = z.object({
  firstName: z.string(),
  /** "Senator Alex Padilla" */
  office: z.string().min(1),
  /** already formatted in the reader's locale */
  deliveredOn: z.string().min(1),
  statusUrl: z.string().url(),
  orgName: z.string(),
})

export default defineEmail({
  name: 'letter-hand-delivered',
  Props,
  subject: (p, t) => t('petitionDelivery:letterUpdate.subject', { office: p.office }),
  Component: ({ firstName, office, deliveredOn, statusUrl, orgName, t, locale }) => (
    <EmailLayout
      locale={locale}
      preview={t('petitionDelivery:letterUpdate.subject', { office })}
      footer={t('letters:receipt.footer', { org: orgName })}
    >
      <Heading as="h1" style={{ fontSize: '20px' }}>
        {t('petitionDelivery:letterUpdate.subject', { office })}
      </Heading>
      <Text>
        {t('petitionDelivery:letterUpdate.body', { name: firstName, office, date: deliveredOn })}
      </Text>
      <Text>
        <Link href={statusUrl}>{t('letters:receipt.statusLink')}</Link>
      </Text>
    </EmailLayout>
  ),
})
