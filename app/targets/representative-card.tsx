import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import type { Representative } from './lookup.server'

const DELEGATE_STATES = new Set(['DC', 'GU', 'VI', 'AS', 'MP'])

/** "U.S. Senator", "Delegate to the U.S. House", "State Representative"… */
export function useChamberLabel() {
  const { t } = useTranslation('targets')
  return (rep: Pick<Representative, 'chamber' | 'state'>) => {
    if (rep.chamber === 'house' && rep.state === 'PR') return t('card.chamber.commissioner')
    if (rep.chamber === 'house' && DELEGATE_STATES.has(rep.state)) return t('card.chamber.delegate')
    return t(`card.chamber.${rep.chamber}`)
  }
}

/** "NY, District 12", "WY, at large", or the state alone for Senators and delegates. */
export function useDistrictLabel() {
  const { t } = useTranslation('targets')
  return (rep: Pick<Representative, 'chamber' | 'state' | 'district'>) => {
    if (rep.chamber === 'senate' || !rep.district) return t('card.statewide', { state: rep.state })
    if (rep.chamber === 'house' && rep.district === '0') {
      return rep.state === 'PR' || DELEGATE_STATES.has(rep.state)
        ? t('card.statewide', { state: rep.state })
        : t('card.atLarge', { state: rep.state })
    }
    return t('card.district', { state: rep.state, district: rep.district })
  }
}

/** One legislator (or vacant seat): photo, name, party, chamber and district. */
export function RepresentativeCard({
  rep,
  headingLevel = 3,
  showContact = true,
}: {
  rep: Representative
  headingLevel?: 3 | 4
  showContact?: boolean
}) {
  const { t } = useTranslation('targets')
  const chamberLabel = useChamberLabel()
  const districtLabel = useDistrictLabel()
  const headingId = useId()
  const Heading = `h${headingLevel}` as const
  const party = rep.party ? t(`card.party.${rep.party}`, { defaultValue: rep.party }) : null
  return (
    <article
      className={rep.vacant ? 'rep-card rep-card-vacant' : 'rep-card'}
      aria-labelledby={headingId}
      data-office-id={rep.officeId}
    >
      {rep.photoUrl ? (
        <img
          className="rep-photo"
          src={rep.photoUrl}
          // the name is the heading right beside it
          alt=""
          width={72}
          height={88}
          loading="lazy"
          decoding="async"
          referrerPolicy="no-referrer"
        />
      ) : (
        <span className="rep-photo rep-photo-empty" aria-hidden="true" />
      )}
      <div className="rep-body">
        <Heading id={headingId}>{rep.vacant ? t('card.vacant') : rep.name}</Heading>
        <p>
          {chamberLabel(rep)} · {districtLabel(rep)}
        </p>
        {party ? <p>{party}</p> : null}
        {rep.vacant ? <p>{t('card.vacantNote')}</p> : null}
        {showContact && !rep.vacant ? (
          <p className="rep-links">
            {rep.office.phone ? (
              <a href={`tel:${rep.office.phone.replace(/[^\d+]/g, '')}`}>
                {t('card.phone', { phone: rep.office.phone })}
              </a>
            ) : null}
            {rep.office.phone && (rep.office.contactForm || rep.office.url) ? ' · ' : null}
            {rep.office.contactForm ? (
              <a href={rep.office.contactForm} rel="noopener noreferrer">
                {t('card.contactForm')}
              </a>
            ) : rep.office.url ? (
              <a href={rep.office.url} rel="noopener noreferrer">
                {t('card.website')}
              </a>
            ) : null}
          </p>
        ) : null}
      </div>
    </article>
  )
}
