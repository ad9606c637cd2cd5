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
    // address is left out: it would reach the real Census geocoder (no fake in this harness)
    name: 'api-representatives',
    method: 'GET',
    path: '/api/representatives',
    fields: ['zip', 'district', 'state_legislators'],
    baseline: () => ({ zip: '10001', district: 'NY-12' }),
  },
  {
    name: 'representatives-page',
    method: 'GET',
    path: '/representatives',
    fields: ['zip', 'district'],
    baseline: () => ({ zip: '82001' }),
  },
  {
    name: 'healthz',
    method: 'GET',
    path: '/healthz',
    fields: ['x'],
  },
]
