import type { Sql } from '#db/client'

export type FuzzTarget = {
  name: string
  method: 'GET' | 'POST'
  path: string | (() => string)
  /** the form's field names (fuzzed), plus valid values to start from */
  fields: string[]
  baseline?: () => Record<string, string>
  headers?: () => Record<string, string>
  /** rows that prove a half-written write; must be empty */
  invariant?: (sql: Sql) => Promise<unknown[]>
}

export const fuzzTargets: FuzzTarget[] = [
  {
    name: 'unsubscribe',
    method: 'POST',
    path: '/unsubscribe/eA.bad',
    fields: ['List-Unsubscribe'],
  },
  {
    name: 'healthz',
    method: 'GET',
    path: '/healthz',
    fields: ['x'],
  },
]
