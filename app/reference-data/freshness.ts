// Is the Congress roster out of date? Since 1935 each Congress is seated on January 3 of an odd
// year (the 119th on 2025-01-03, the 120th on 2027-01-03). Letters resolve their targets from the
// roster when they are sent, so a roster from before a seating sends letters to former members.

export const ROSTER_MAX_AGE_DAYS = 90

/** The day the Nth Congress is seated (N ≥ 74, the first seated on January 3). */
export function congressSeatedOn(congress: number): string {
  return `${1789 + 2 * (congress - 1)}-01-03`
}

/** The first Congress seated after a given day. */
export function nextCongressAfter(day: string): number {
  let n = (Number(day.slice(0, 4)) - 1789) / 2 + 1
  n = Math.ceil(n)
  while (congressSeatedOn(n) <= day) n++
  return n
}

export type RosterWarning = {
  sourceDate: string
  congress: number
  seatedOn: string
  /** the next Congress has already been seated since the roster was taken */
  seated: boolean
  ageDays: number
}

/**
 * A warning when the roster predates a Congress that has been seated, or is more than 90 days
 * old; null when it is fresh (or when there is no roster yet: the import itself says so).
 */
export function rosterWarning(sourceDate: string | null, today: string): RosterWarning | null {
  if (!sourceDate) return null
  const congress = nextCongressAfter(sourceDate)
  const seatedOn = congressSeatedOn(congress)
  const seated = seatedOn <= today
  const ageDays = Math.floor((Date.parse(today) - Date.parse(sourceDate)) / 86_400_000)
  if (!seated && ageDays <= ROSTER_MAX_AGE_DAYS) return null
  return { sourceDate, congress, seatedOn, seated, ageDays }
}
