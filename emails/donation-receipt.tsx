import { Button, Heading, Text } from '@react-email/components'
import { z } from 'zod'
import { EmailLayout } from './layout'
import { defineEmail } from './render'

/** A receipt for one successful charge: a one-time gift, or one month of a monthly gift. */
export const donationReceipt = defineEmail({
  name: 'donation-receipt',
  Props: z.object({
    firstName: z.string().nullable(),
    // Formatted in the donor's language by the caller: money formatting lives in app/donations,
    // which emails/ does not import.
    amount: z.string().min(1),
    /** The part of the amount that covers the card fee; null when the donor did not add one. */
    feeCovered: z.string().min(1).nullable(),
    recurring: z.boolean(),
    date: z.string(),
    reference: z.string(),
    manageUrl: z.string().url(),
    orgName: z.string(),
    orgAddress: z.string(),
  }),
  subject: (p, t) =>
    t(p.recurring ? 'donations:receipt.subjectMonthly' : 'donations:receipt.subject', {
      org: p.orgName,
    }),
  Component: ({ t, locale, ...p }) => {
    const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(
      new Date(p.date),
    )
    return (
      <EmailLayout
        locale={locale}
        preview={t('donations:receipt.preview', { amount: p.amount, org: p.orgName })}
        footer={`${p.orgName} · ${p.orgAddress}`}
      >
        <Heading as="h1" style={{ fontSize: '22px' }}>
          {p.firstName
            ? t('donations:receipt.greetingName', { name: p.firstName })
            : t('donations:receipt.greeting')}
        </Heading>
        <Text>
          {t(p.recurring ? 'donations:receipt.bodyMonthly' : 'donations:receipt.body', {
            amount: p.amount,
            org: p.orgName,
          })}
        </Text>
        <Text>
          {t('donations:receipt.amount')}: {p.amount}
          <br />
          {t('donations:receipt.date')}: {date}
          <br />
          {t('donations:receipt.kind')}:{' '}
          {t(p.recurring ? 'donations:receipt.kindMonthly' : 'donations:receipt.kindOnce')}
          <br />
          {t('donations:receipt.reference')}: {p.reference}
        </Text>
        {p.feeCovered ? (
          <Text>{t('donations:receipt.feeCovered', { fee: p.feeCovered })}</Text>
        ) : null}
        {p.recurring ? (
          <>
            <Text>{t('donations:receipt.manageIntro')}</Text>
            <Button
              href={p.manageUrl}
              style={{
                backgroundColor: '#1d3b6f',
                color: '#ffffff',
                padding: '10px 16px',
                borderRadius: '6px',
              }}
            >
              {t('donations:receipt.manage')}
            </Button>
            <Text>{p.manageUrl}</Text>
          </>
        ) : null}
        <Text>{t('donations:receipt.records')}</Text>
      </EmailLayout>
    )
  },
})
