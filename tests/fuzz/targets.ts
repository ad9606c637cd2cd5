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
    // The letter flow's POST (lookup and send). A valid baseline resolves through the geocoder
    // (unreachable here, so the ZIP's fallback answers); fuzzed fields mostly fail validation.
    name: 'letter-flow',
    method: 'POST',
    path: '/c/write-congress-red-notices',
    fields: [
      'intent',
      'prefix',
      'firstName',
      'lastName',
      'email',
      'street',
      'city',
      'state',
      'zip',
      'subject',
      'message',
      'district',
      'locale',
      'optIn',
    ],
    baseline: () => ({
      intent: 'send',
      prefix: 'Ms.',
      firstName: 'Fuzz',
      lastName: 'Tester',
      email: 'fuzz-letter@example.org',
      street: '200 W 24th St',
      city: 'Cheyenne',
      state: 'WY',
      zip: '82001',
      subject: 'Pass S. 2525',
      message: 'Dear {{targetTitle}} {{targetName}}, please pass the bill.',
    }),
    // Every letter has its deliveries, and every signature on a letter campaign has its letter.
    invariant: async (sql) => [
      ...(await sql`
      select 'letter without deliveries' as problem, l.id::text as id from letters l
      where not exists (select 1 from deliveries d where d.letter_id = l.id)
      union all
      select 'signature without letter', s.id::text from signatures s
      join campaigns c on c.id = s.campaign_id
      where c.kind = 'letter' and not exists (select 1 from letters l where l.signature_id = s.id)`),
    ],
  },
  {
    name: 'letter-thanks',
    method: 'GET',
    path: '/c/write-congress-red-notices/sent/not-a-real-token-0123456789',
    fields: ['lang'],
  },
  {
    name: 'healthz',
    method: 'GET',
    path: '/healthz',
    fields: ['x'],
  },
]
