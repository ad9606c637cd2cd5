import type postgres from 'postgres'
import type { Sql } from '../client'

/** A row's values where each may instead be a SQL expression over the row of a statement's `from`. */
export type Exprs<T> = { [K in keyof T]: T[K] | postgres.Fragment }

/**
 * `insert into <table> (<columns>) select <values> from <from>`: one row per row of `from`, none
 * when it is empty. The body of a data-modifying CTE that writes rows for what an earlier part
 * of the same statement inserted; values may be fragments that read that row.
 */
export function insertFrom(
  sql: Sql,
  table: string,
  row: Record<string, unknown>,
  from: postgres.Fragment,
): postgres.Fragment {
  const columns = Object.keys(row)
  return sql`insert into ${sql(table)} (${sql(columns)}) select ${sql(row, columns)} from ${from}`
}
