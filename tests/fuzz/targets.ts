import { createHash, createHmac, randomBytes } from 'node:crypto'
import type { Db, Sql } from '#db/client'

export type FuzzTarget = {
  name: string
  method: 'GET' | 'POST'
  path: string | (() => string)
  /** the form's field names (fuzzed), plus valid values to start from */
  fields: string[]
  baseline?: () => Record<string, string>
  headers?: () => Record<string, string>
  /** arranges rows the target needs (run once, before the cases) */
  prepare?: (sql: Db) => Promise<void>
  /** proof that valid-looking cases reached the write (the baseline is plausible): > 0 */
  writes?: (sql: Sql) => Promise<number>
  /** rows written since this target started that prove a half-written write; must be empty */
  invariant?: (sql: Sql, since: Date) => Promise<unknown[]>
}

const PETITION = 'stop-red-notice-detentions'
const LETTER_CAMPAIGN = 'write-congress-red-notices'
const CALL_CAMPAIGN = 'call-congress-red-notices'
let n = 0
const unique = (what: string) => `fuzz-${what}-${++n}-${randomBytes(3).toString('hex')}@example.org`

/**
 * Half-written rows written since `since`: every write the public endpoints make is one
 * transaction, so none of these may ever exist. Returns one row per problem found.
 * `donors`: the donate form records the donor before sending them to Checkout (its metadata
 * names the supporter; ADR 0400), so an abandoned checkout leaves a supporter with nothing else.
 */
export async function halfWrittenRows(
  sql: Sql,
  since: Date,
  { donors = false }: { donors?: boolean } = {},
): Promise<unknown[]> {
  const rows = await sql`
    select 'supporter with no signature, donation, consent or letter' as problem, p.id::text
    from supporters p
    where p.created_at >= ${since} and not ${donors}
      and not exists (select 1 from signatures s where s.supporter_id = p.id)
      and not exists (select 1 from donations d where d.supporter_id = p.id)
      and not exists (select 1 from consents c where c.supporter_id = p.id)
      and not exists (select 1 from letters l where l.supporter_id = p.id)
    union all
    select 'signature without its consent rows', s.id::text
    from signatures s
    where s.created_at >= ${since}
      and (select count(*) from consents c
           where c.supporter_id = s.supporter_id and c.campaign_id = s.campaign_id
             and c.kind in ('terms', 'list')) < 2
    union all
    select 'signature without its confirmation token', s.id::text
    from signatures s
    where s.created_at >= ${since}
      and not exists (select 1 from email_tokens t
                      where t.purpose = 'confirm_signature' and t.subject_id = s.id::text)
    union all
    select 'signature without its confirmation email', s.id::text
    from signatures s
    where s.created_at >= ${since}
      and not exists (select 1 from outbound_emails o
                      where o.supporter_id = s.supporter_id and o.template = 'confirm-signature')
    union all
    select 'letter without deliveries', l.id::text
    from letters l
    where l.created_at >= ${since}
      and not exists (select 1 from deliveries d where d.letter_id = l.id)
    union all
    select 'donation without a supporter', d.id::text
    from donations d
    where d.created_at >= ${since} and d.supporter_id is null
  `
  return [...rows]
}

async function fuzzSignatures(sql: Sql, path: string) {
  const [{ n }] = await sql<{ n: number }[]>`
    select count(*)::int as n from signatures s
    join supporters p on p.id = s.supporter_id
    join campaigns c on c.id = s.campaign_id
    where p.email like 'fuzz-sign-%' and c.slug = ${path}`
  return n
}

const signBaseline = () => ({
  firstName: 'Ana',
  lastName: 'Ruiz',
  email: unique('sign'),
  zip: '30303',
  street: '1 Main St',
  city: 'Atlanta',
  state: 'GA',
  comment: 'Signed by the fuzzer',
  optIn: 'on',
  locale: 'en',
})
const signFields = [
  'firstName',
  'lastName',
  'email',
  'zip',
  'street',
  'city',
  'state',
  'comment',
  'optIn',
  'anonymous',
  'locale',
  'source',
  'ref',
  'utmSource',
  'referrerHost',
  'website',
  'formStarted',
  'cf-turnstile-response',
]

const donateBaseline = () => ({
  frequency: 'once',
  amount: '25',
  firstName: 'Ana',
  lastName: 'Ruiz',
  email: unique('donate'),
  coverFees: 'on',
  formId: '00000000-0000-4000-8000-000000000000',
})
const donateFields = [
  'frequency',
  'amount',
  'customAmount',
  'firstName',
  'lastName',
  'email',
  'coverFees',
  'formId',
  'source',
  'ref',
  'website',
  'formStarted',
]

// A confirmation token the confirm target can spend (the first valid POST confirms; later ones
// find it used).
const CONFIRM_TOKEN = randomBytes(32).toString('base64url')
const MANAGE_TOKEN = randomBytes(32).toString('base64url')

/** Stripe-Signature headers: missing pieces, junk, and well-formed ones with the wrong key. */
function stripeSignature(): Record<string, string> {
  const t = Math.floor(Date.now() / 1000)
  const wrong = createHmac('sha256', 'whsec_wrong').update(`${t}.{}`).digest('hex')
  const choices = [
    '',
    'garbage',
    `t=${t}`,
    `v1=${wrong}`,
    `t=${t},v1=${wrong}`,
    `t=abc,v1=${'z'.repeat(64)}`,
    `t=${t - 10_000},v1=${wrong}`,
    `t=${t},v1=${wrong},v0=${wrong},v1=`,
    'ü'.repeat(50),
  ]
  const value = choices[Math.floor(Math.random() * choices.length)]
  return value ? { 'stripe-signature': value } : {}
}

export const fuzzTargets: FuzzTarget[] = [
  {
    name: 'sign (petition)',
    method: 'POST',
    path: `/c/${PETITION}`,
    fields: signFields,
    baseline: signBaseline,
    writes: (sql) => fuzzSignatures(sql, PETITION),
    invariant: (sql, since) => halfWrittenRows(sql, since),
  },
  {
    // A letter campaign's page takes the letter flow (intent=lookup|send); a petition-style
    // sign POST there is refused as incomplete, so this target checks only that nothing breaks.
    name: 'sign form posted to a letter campaign',
    method: 'POST',
    path: `/c/${LETTER_CAMPAIGN}`,
    fields: signFields,
    baseline: signBaseline,
    invariant: (sql, since) => halfWrittenRows(sql, since),
  },
  {
    name: 'sign (embed)',
    method: 'POST',
    path: `/c/${PETITION}/embed`,
    fields: signFields,
    baseline: signBaseline,
    invariant: (sql, since) => halfWrittenRows(sql, since),
  },
  {
    name: 'donate',
    method: 'POST',
    path: '/donate',
    fields: donateFields,
    baseline: donateBaseline,
    invariant: (sql, since) => halfWrittenRows(sql, since, { donors: true }),
  },
  {
    name: 'donate (campaign)',
    method: 'POST',
    path: `/c/${PETITION}/donate`,
    fields: donateFields,
    baseline: donateBaseline,
    invariant: (sql, since) => halfWrittenRows(sql, since, { donors: true }),
  },
  {
    name: 'manage gift (request a link)',
    method: 'POST',
    path: '/donate/manage',
    fields: ['email'],
    baseline: () => ({ email: unique('manage') }),
    invariant: async (sql, since) => [
      ...(await halfWrittenRows(sql, since)),
      // a manage link is only ever issued with its email
      ...(await sql`
        select 'manage token without its email' as problem, t.subject_id
        from email_tokens t
        where t.purpose = 'manage_donation' and t.created_at >= ${since}
          and not exists (select 1 from outbound_emails o where o.created_at >= t.created_at)`),
    ],
  },
  {
    name: 'manage gift (spend a link)',
    method: 'POST',
    path: () =>
      Math.random() < 0.5
        ? `/donate/manage/${MANAGE_TOKEN}`
        : `/donate/manage/${encodeURIComponent(randomBytes(8).toString('base64'))}`,
    fields: ['token', 'intent'],
    invariant: (sql, since) => halfWrittenRows(sql, since),
  },
  {
    name: 'confirm',
    method: 'POST',
    path: () =>
      Math.random() < 0.5
        ? `/confirm/${CONFIRM_TOKEN}`
        : `/confirm/${encodeURIComponent(randomBytes(12).toString('base64'))}`,
    fields: ['intent', 'token'],
    async prepare(sql) {
      const [campaign] = await sql<{ id: string }[]>`
        select id from campaigns where slug = ${PETITION}`
      await sql.begin(async (tx) => {
        const [p] = await tx<{ id: string }[]>`
          insert into supporters (email, first_name, last_name, zip)
          values (${unique('confirm')}, 'Ana', 'Ruiz', '30303') returning id`
        const [s] = await tx<{ id: string }[]>`
          insert into signatures (campaign_id, supporter_id, ref_code)
          values (${campaign.id}, ${p.id}, ${randomBytes(8).toString('base64url')})
          returning id::text`
        await tx`
          insert into consents (supporter_id, campaign_id, kind, granted, consent_text, locale)
          values (${p.id}, ${campaign.id}, 'terms', true, 'terms', 'en'),
                 (${p.id}, ${campaign.id}, 'list', false, 'list', 'en')`
        await tx`
          insert into email_tokens (token_hash, purpose, subject_id, expires_at)
          values (${createHash('sha256').update(CONFIRM_TOKEN).digest()}, 'confirm_signature',
                  ${s.id}, now() + interval '1 day')`
        await tx`
          insert into outbound_emails (kind, template, to_address, from_address, subject, html,
                                       text_body, message_id, supporter_id)
          values ('transactional', 'confirm-signature', 'x@example.org', 'w@example.org', 's',
                  'h', 't', ${`<fuzz-${s.id}@writ.test>`}, ${p.id})`
      })
    },
    invariant: async (sql, since) => [
      ...(await halfWrittenRows(sql, since)),
      ...(await sql`
        select 'confirmed signature whose token is unused' as problem, s.id::text
        from signatures s join email_tokens t
          on t.purpose = 'confirm_signature' and t.subject_id = s.id::text
        where s.confirmed_at is not null and t.used_at is null`),
    ],
  },
  {
    name: 'unsubscribe',
    method: 'POST',
    path: () =>
      Math.random() < 0.5
        ? '/unsubscribe/eA.bad'
        : `/unsubscribe/${encodeURIComponent(randomBytes(20).toString('base64'))}`,
    fields: ['List-Unsubscribe'],
    baseline: () => ({ 'List-Unsubscribe': 'One-Click' }),
  },
  {
    name: 'stripe webhook',
    method: 'POST',
    path: '/webhooks/stripe',
    fields: ['id', 'type', 'data', 'object'],
    baseline: () => ({ id: 'evt_fuzz', type: 'checkout.session.completed', data: '{}' }),
    headers: stripeSignature,
    invariant: async (sql, since) => [
      ...(await halfWrittenRows(sql, since)),
      ...(await sql`
        select 'stripe event recorded from an unsigned request' as problem, id
        from stripe_events where id like 'evt_fuzz%'`),
    ],
  },
  {
    name: 'organizer login',
    method: 'POST',
    path: '/admin/login',
    fields: ['email', 'password', 'redirectTo'],
    baseline: () => ({ email: unique('login'), password: 'not the password' }),
  },
  {
    name: 'organizer forgot password',
    method: 'POST',
    path: '/admin/forgot-password',
    fields: ['email'],
    baseline: () => ({ email: unique('forgot') }),
  },
  {
    name: 'organizer reset password',
    method: 'POST',
    path: () =>
      `/admin/reset-password/${encodeURIComponent(randomBytes(32).toString('base64url'))}`,
    fields: ['password', 'confirm'],
    baseline: () => ({ password: 'a long enough password 1', confirm: 'a long enough password 1' }),
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
    // Deep links (ADRs 0907, 0908): prefill and a letter's district, never an error
    name: 'petition-prefill-link',
    method: 'GET',
    path: `/c/${PETITION}`,
    fields: ['firstName', 'lastName', 'zip', 'source', 'lang'],
    baseline: () => ({ firstName: 'Ana', lastName: 'Ruiz', zip: '59715', source: 'partner' }),
  },
  {
    name: 'letter-district-link',
    method: 'GET',
    path: `/c/${LETTER_CAMPAIGN}`,
    fields: ['district', 'zip', 'state', 'street', 'city', 'message', 'source'],
    baseline: () => ({ district: 'MT-1', zip: '59715', state: 'MT', source: 'partner' }),
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
      'linkDistrict',
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
    // Call campaigns (ADR 1200): the caller's first step; a ZIP that spans districts asks for a
    // street or a district pick, so fuzzed values mostly end in a form error, never a 5xx.
    name: 'call-start',
    method: 'POST',
    path: `/c/${CALL_CAMPAIGN}/call`,
    fields: [
      'firstName',
      'lastName',
      'email',
      'city',
      'zip',
      'street',
      'district',
      'optIn',
      'locale',
    ],
    baseline: () => ({
      firstName: 'Rosa',
      lastName: 'Delgado',
      email: unique('call'),
      city: 'Cheyenne',
      zip: '82001',
      optIn: 'on',
      locale: 'en',
    }),
  },
  {
    name: 'sign (embed of a call campaign)',
    method: 'POST',
    path: `/c/${CALL_CAMPAIGN}/embed`,
    fields: signFields,
    baseline: signBaseline,
    invariant: (sql, since) => halfWrittenRows(sql, since),
  },
  {
    // "Post to your legislators" (ADR 1201): records network and office, then 303s to the intent
    name: 'post-to-legislators',
    method: 'GET',
    path: `/c/${PETITION}/post/x`,
    fields: ['office', 'lang'],
    baseline: () => ({ office: 'house/WY-0' }),
  },
  {
    // the live count (ADR 1102), served from the read cache
    name: 'count-json',
    method: 'GET',
    path: `/c/${PETITION}/count.json`,
    fields: ['lang', 'x'],
  },
  {
    // /api/v1 without a key: every fuzzed request is a 401 problem+json, never a 5xx
    name: 'api-v1-signatures (no key)',
    method: 'POST',
    path: '/api/v1/campaigns/00000000-0000-0000-0000-000000000000/signatures',
    fields: ['first_name', 'last_name', 'email', 'zip', 'x'],
    headers: () => ({ authorization: `Bearer writ_${randomBytes(8).toString('hex')}` }),
  },
  {
    name: 'healthz',
    method: 'GET',
    path: '/healthz',
    fields: ['x'],
  },
]
