import type { LinksFunction } from '@remix-run/node'
import styles from './representatives.css'
import { RepresentativeCard } from './representative-card'
import type { Representative } from './lookup.server'

/** Add to a route's `links` wherever the cards are shown. */
export const representativesLinks: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

/** A list of representative cards (House first, then Senators, then state legislators). */
export function RepresentativesList({
  representatives,
  headingLevel = 3,
  showContact = true,
}: {
  representatives: Representative[]
  headingLevel?: 3 | 4
  showContact?: boolean
}) {
  return (
    <ul className="rep-list">
      {representatives.map((rep) => (
        <li key={rep.officeId}>
          <RepresentativeCard rep={rep} headingLevel={headingLevel} showContact={showContact} />
        </li>
      ))}
    </ul>
  )
}
