import { useTranslation } from 'react-i18next'

/** One office's line as the status page and the letter-sent page show it. */
export type OfficeStatus = {
  id: number
  officeName: string
  officeTitle: string
  status: string
  statusKey: string
  channel: string
  at: string
  atIso: string
  detail: string
}

/** Each office a letter went to, with its status, channel, evidence and (optionally) when. */
export function OfficeStatusList({
  offices,
  showWhen = false,
}: {
  offices: OfficeStatus[]
  showWhen?: boolean
}) {
  const { t } = useTranslation('letters')
  return (
    <ul className="card-list" aria-label={t('statusPage.office')}>
      {offices.map((o) => (
        <li key={o.id} className="card" data-status={o.statusKey}>
          <h2>
            {o.officeTitle} {o.officeName}
          </h2>
          <dl>
            <dt>{t('statusPage.statusHeading')}</dt>
            <dd>
              <strong>{o.status}</strong>
            </dd>
            <dt>{t('statusPage.channelHeading')}</dt>
            <dd>{o.channel}</dd>
            {showWhen ? (
              <>
                <dt>{t('statusPage.when')}</dt>
                <dd>
                  <time dateTime={o.atIso}>{o.at}</time>
                </dd>
              </>
            ) : null}
            <dt>{t('statusPage.details')}</dt>
            <dd className="evidence">{o.detail}</dd>
          </dl>
        </li>
      ))}
    </ul>
  )
}
