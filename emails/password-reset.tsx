import { Button, Heading, Text } from '@react-email/components'
import { z } from 'zod'
import { EmailLayout } from './layout'
import { defineEmail } from './render'

/** Sent when an organizer asks to reset a password, and when an owner invites a new organizer. */
export const passwordResetEmail = defineEmail({
  name: 'password-reset',
  Props: z.object({
    resetUrl: z.string().url(),
    expiresInMinutes: z.number().int().positive(),
    invited: z.boolean().default(false),
    orgName: z.string(),
    orgPostalAddress: z.string(),
  }),
  subject: (p, t) =>
    p.invited
      ? t('admin:email.invite.subject', { org: p.orgName })
      : t('admin:email.reset.subject', { org: p.orgName }),
  Component: ({ resetUrl, expiresInMinutes, invited, orgName, orgPostalAddress, t, locale }) => {
    const key = invited ? 'invite' : 'reset'
    return (
      <EmailLayout
        locale={locale}
        preview={t(`admin:email.${key}.preview`, { org: orgName })}
        footer={orgPostalAddress}
      >
        <Heading as="h1" style={{ fontSize: '22px' }}>
          {t(`admin:email.${key}.heading`, { org: orgName })}
        </Heading>
        <Text>{t(`admin:email.${key}.body`, { org: orgName })}</Text>
        <Button
          href={resetUrl}
          style={{
            backgroundColor: '#1d3b6f',
            color: '#ffffff',
            padding: '12px 18px',
            borderRadius: '6px',
          }}
        >
          {t(`admin:email.${key}.button`)}
        </Button>
        <Text>{t('admin:email.linkFallback', { url: resetUrl })}</Text>
        <Text>{t('admin:email.expires', { minutes: expiresInMinutes })}</Text>
        <Text>{t('admin:email.ignore')}</Text>
      </EmailLayout>
    )
  },
})
