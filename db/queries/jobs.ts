import type { Sql } from '../client'

export type RecurringClaim = {
  /** True for the one caller that runs the job in the current period. */
  claimed: boolean
  /** Until the next period starts, on the database's clock (so worker clocks may disagree). */
  msToNextPeriod: number
}

/**
 * Claims this period's run of a recurring job. Periods are `everySeconds` long, aligned to the
 * epoch. The upsert's WHERE is re-checked against the committed row when two workers race, so
 * only one of them gets a row back.
 */
export async function claimRecurringRun(
  sql: Sql,
  { name, everySeconds, workerId }: { name: string; everySeconds: number; workerId: string },
): Promise<RecurringClaim> {
  const [row] = await sql<{ claimed: boolean; msToNextPeriod: number }[]>`
    with period as (
      select floor(extract(epoch from now())::float8 / ${everySeconds}::float8) as current
    ), claim as (
      insert into recurring_jobs as r (name, last_started_at, last_worker)
      values (${name}, now(), ${workerId})
      on conflict (name) do update
        set last_started_at = now(), last_finished_at = null, last_worker = ${workerId},
          last_error = null
        where floor(extract(epoch from r.last_started_at)::float8 / ${everySeconds}::float8)
          < (select current from period)
      returning 1
    )
    select exists (select 1 from claim) as claimed,
      ((select current from period) + 1) * ${everySeconds}::float8 * 1000
        - extract(epoch from now())::float8 * 1000 as ms_to_next_period`
  return row!
}

/** Records how the claimed run ended, for whoever looks at recurring_jobs. */
export async function finishRecurringRun(
  sql: Sql,
  name: string,
  error: string | null,
): Promise<void> {
  await sql`
    update recurring_jobs set last_finished_at = now(), last_error = ${error} where name = ${name}`
}
