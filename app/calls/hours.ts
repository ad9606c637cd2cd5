// The office-hours hint: Capitol Hill offices answer 9 a.m. to 5 p.m. Eastern, Monday to Friday.
// Client-safe and pure (the caller passes the clock), so tests can fix the time.

export type OfficeHours = {
  open: boolean
  /** the Eastern weekday and hour, for the message */ eastern: { weekday: number; hour: number }
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 }

/** Whether DC offices are open at `now` (Eastern time, daylight saving included). */
export function dcOfficeHours(now: Date): OfficeHours {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/New_York',
    weekday: 'short',
    hour: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(now)
  const weekday = WEEKDAYS[parts.find((p) => p.type === 'weekday')?.value ?? 'Sun'] ?? 0
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0)
  const open = weekday >= 1 && weekday <= 5 && hour >= 9 && hour < 17
  return { open, eastern: { weekday, hour } }
}
