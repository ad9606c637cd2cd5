import { Button, Heading, Text } from '@react-email/components'
import { z } from 'zod'
import { EmailLayout } from './layout'
import { defineEmail } from './render'

/** The one-time link that opens the Stripe Billing Portal for a monthly gift. */
export const donationManageLink = defineEmail({
  name: 'donation-manage-link',
  Props: z.object({
    url: z.string().url(),
    minutes: z.number().int().positive(),
    orgName: z.string(),
    orgAddress: z.string(),
  }),
  subject: (p, t) => t('donations:manageEmail.subject', { org: p.orgName }),
  Component: ({ t, locale, ...p }) => (
    <EmailLayout
      locale={locale}
      preview={t('donations:manageEmail.preview')}
      footer={`${p.orgName} · ${p.orgAddress}`}
    >
      <Heading as="h1" style={{ fontSize: '22px' }}>
        {t('donations:manageEmail.heading')}
      </Heading>
      <Text>{t('donations:manageEmail.body', { minutes: p.minutes })}</Text>
      <Button
        href={p.url}
        style={{
          backgroundColor: '#1d3b6f',
          color: '#ffffff',
          padding: '10px 16px',
          borderRadius: '6px',
        }}
      >
        {t('donations:manageEmail.button')}
      </Button>
      <Text>{p.url}</Text>
      <Text>{t('donations:manageEmail.ignore')}</Text>
    </EmailLayout>
  ),
})
