import {
  Body,
  Container,
  Head,
  Hr,
  Html,
  Link,
  Preview,
  Section,
  Text,
} from '@react-email/components'
import type { TFunction } from 'i18next'

/** The frame every Writ email shares: preview text, body, and the sender's postal address. */
export function EmailLayout({
  locale,
  preview,
  children,
  footer,
}: {
  locale: string
  preview: string
  children: React.ReactNode
  footer: React.ReactNode
}) {
  return (
    <Html lang={locale}>
      <Head />
      <Preview>{preview}</Preview>
      <Body
        style={{
          backgroundColor: '#f3f5f9',
          fontFamily: 'system-ui, sans-serif',
          color: '#1a1a1a',
        }}
      >
        <Container style={{ backgroundColor: '#ffffff', padding: '24px', maxWidth: '560px' }}>
          <Section>{children}</Section>
          <Hr />
          <Text style={{ fontSize: '13px', color: '#4a4a4a' }}>{footer}</Text>
        </Container>
      </Body>
    </Html>
  )
}

/**
 * The footer every list email carries (RFC 8058 mail: mailings, campaign updates, ladder
 * follow-ups): why the reader gets it, the organization's postal address, and a visible
 * unsubscribe link (ADR 1100).
 */
export function ListMailFooter({
  t,
  orgName,
  postalAddress,
  unsubscribeUrl,
}: {
  t: TFunction
  orgName: string
  postalAddress: string
  unsubscribeUrl: string
}) {
  return (
    <>
      {t('safety:email.footerWhy', { orgName })} {postalAddress}.{' '}
      <Link href={unsubscribeUrl}>{t('safety:email.unsubscribe')}</Link>
    </>
  )
}
