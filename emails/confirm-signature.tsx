import { Button, Link, Text } from '@react-email/components'
import { z } from 'zod'
import { EmailLayout } from './layout'
import { defineEmail } from './render'

/** Double opt-in: the signer confirms their address by opening /confirm/:token. */
export const confirmSignatureEmail = defineEmail({
  name: 'confirm-signature',
  Props: z.object({
    firstName: z.string().min(1),
    headline: z.string().min(1),
    confirmUrl: z.string().url(),
    campaignUrl: z.string().url(),
    orgName: z.string().min(1),
    postalAddress: z.string().min(1),
  }),
  subject: (p, t) => t('petitions:email.subject', { headline: p.headline }),
  Component: ({
    firstName,
    headline,
    confirmUrl,
    campaignUrl,
    orgName,
    postalAddress,
    t,
    locale,
  }) => (
    <EmailLayout
      locale={locale}
      preview={t('petitions:email.preview')}
      footer={t('petitions:email.footer', { orgName, postalAddress })}
    >
      <Text style={{ fontSize: '18px', fontWeight: 700 }}>
        {t('petitions:email.greeting', { firstName })}
      </Text>
      <Text>{t('petitions:email.body', { headline })}</Text>
      <Button
        href={confirmUrl}
        style={{
          backgroundColor: '#1d3b6f',
          color: '#ffffff',
          padding: '12px 20px',
          borderRadius: '6px',
          fontWeight: 700,
        }}
      >
        {t('petitions:email.button')}
      </Button>
      <Text>
        {t('petitions:email.linkIntro')} <Link href={confirmUrl}>{confirmUrl}</Link>
      </Text>
      <Text>{t('petitions:email.expiry')}</Text>
      <Text>
        {t('petitions:email.notYou')} <Link href={campaignUrl}>{campaignUrl}</Link>
      </Text>
    </EmailLayout>
  ),
})
