import { getSql, type Sql } from '#db/client'
import { selectSourceDates } from '#db/queries/reference-data'
import { rosterWarning, type RosterWarning } from './freshness'

/** The dashboard's warning about an out-of-date Congress roster, or null. */
export async function getRosterWarning(
  sql: Sql = getSql(),
  today = new Date().toISOString().slice(0, 10),
): Promise<RosterWarning | null> {
  const { congress } = await selectSourceDates(sql)
  return rosterWarning(congress, today)
}
