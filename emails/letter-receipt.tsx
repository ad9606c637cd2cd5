import { Heading, Link, Section, Text } from '@react-email/components'
import { z } from 'zod'
import { defineEmail } from './render'
import { EmailLayout } from './layout'
import { paragraphs } from './letter'

// One receipt per letter, once every office has a final status: what happened, office by office.
// The letter's subject and text only go to an address its owner has confirmed: anyone can type
// someone else's address into a letter form (then the receipt shows the offices only).

export const Props = z.object({
  firstName: z.string(),
  /** null when the address was never confirmed: the receipt then carries no letter text */
  subject: z.string().nullable(),
  body: z.string().nullable(),
  statusUrl: z.string().url(),
  orgName: z.string(),
  offices: z.array(
    z.object({
      name: z.string(),
      title: z.string(),
      /** Already translated: "Delivered", "Failed", … */
      status: z.string(),
      /** Already translated: "by CWC, the House's official system" … */
      channel: z.string(),
      /** Already formatted in the reader's locale. */
      at: z.string(),
      detail: z.string(),
    }),
  ),
})

export default defineEmail({
  name: 'letter-receipt',
  Props,
  subject: (p, t) =>
    p.subject === null
      ? t('letters:receipt.subjectNoText')
      : t('letters:receipt.subject', { subject: p.subject }),
  Component: ({ firstName, subject, body, statusUrl, orgName, offices, t, locale }) => (
    <EmailLayout
      locale={locale}
      preview={t('letters:receipt.preview', { count: offices.length })}
      footer={t('letters:receipt.footer', { org: orgName })}
    >
      <Heading as="h1" style={{ fontSize: '20px' }}>
        {t('letters:receipt.heading')}
      </Heading>
      <Text>{t('letters:receipt.intro', { name: firstName, count: offices.length })}</Text>
      {offices.map((o) => (
        <Section
          key={`${o.title}${o.name}`}
          style={{ borderLeft: '3px solid #1d4ed8', paddingLeft: '12px' }}
        >
          <Text style={{ margin: '8px 0 0', fontWeight: 'bold' }}>
            {o.title} {o.name}: {o.status}
          </Text>
          <Text style={{ margin: '0 0 8px' }}>
            {o.channel} · {o.at}
            <br />
            {o.detail}
          </Text>
        </Section>
      ))}
      <Text>
        <Link href={statusUrl}>{t('letters:receipt.statusLink')}</Link>
      </Text>
      {subject === null || body === null ? (
        <Text>{t('letters:receipt.textOnStatusPage')}</Text>
      ) : (
        <>
          <Heading as="h2" style={{ fontSize: '17px' }}>
            {t('letters:receipt.yourLetter')}: {subject}
          </Heading>
          {paragraphs(body).map((lines, i) => (
            <Text key={i}>
              {lines.map((line, j) => (
                <span key={j}>
                  {j > 0 ? <br /> : null}
                  {line}
                </span>
              ))}
            </Text>
          ))}
        </>
      )}
    </EmailLayout>
  ),
})
