import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getPrivacyContact } from '#app/privacy/privacy.server'

export const meta: MetaFunction = () => [{ title: 'Writ — Privacy' }]

export async function loader(_: LoaderFunctionArgs) {
  return getPrivacyContact()
}

export default function PrivacyPage() {
  const { orgName, email, postalAddress, addressDays, mailDays } = useLoaderData<typeof loader>()
  const { t } = useTranslation('admin')
  return (
    <article className="prose">
      <h1>{t('publicPrivacy.title')}</h1>
      <p>{t('publicPrivacy.intro', { org: orgName })}</p>
      <h2>{t('publicPrivacy.holdTitle')}</h2>
      <ul>
        <li>{t('publicPrivacy.holdContact')}</li>
        <li>{t('publicPrivacy.holdActions')}</li>
        <li>{t('publicPrivacy.holdDonations')}</li>
        <li>{t('publicPrivacy.holdEmails')}</li>
      </ul>
      <h2>{t('publicPrivacy.keepTitle')}</h2>
      <ul>
        <li>{t('publicPrivacy.keepAddress', { days: addressDays })}</li>
        <li>{t('publicPrivacy.keepAddressPacket')}</li>
        <li>{t('publicPrivacy.keepMail', { days: mailDays })}</li>
      </ul>
      <h2>{t('publicPrivacy.neverTitle')}</h2>
      <ul>
        <li>{t('publicPrivacy.neverStatus')}</li>
        <li>{t('publicPrivacy.neverPhone')}</li>
        <li>{t('publicPrivacy.neverTracking')}</li>
      </ul>
      <h2>{t('publicPrivacy.askTitle')}</h2>
      <p>{t('publicPrivacy.askIntro')}</p>
      <ul>
        <li>{t('publicPrivacy.askExport')}</li>
        <li>{t('publicPrivacy.askErase')}</li>
        <li>{t('publicPrivacy.askUnsubscribe')}</li>
      </ul>
      <p>
        {email ? (
          <>
            {t('publicPrivacy.contactEmail')} <a href={`mailto:${email}`}>{email}</a>
          </>
        ) : (
          t('publicPrivacy.contactPost', { address: postalAddress })
        )}
      </p>
      <p>{t('publicPrivacy.verify')}</p>
      <h2>{t('publicPrivacy.eraseTitle')}</h2>
      <p>{t('publicPrivacy.eraseBody')}</p>
    </article>
  )
}
