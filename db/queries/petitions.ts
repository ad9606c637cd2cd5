import type postgres from 'postgres'
import type { Sql } from '../client'
import { claimEmailTokenQuery, emailTokenStateQuery, insertEmailTokenFrom } from './email-tokens'
import { enqueueEmailFrom, type OutboxEmail } from './mail'
import { enqueueWebhookFrom } from './webhooks'
import type { Utm } from './campaigns'

export type NewSignature = {
  campaignId: string
  email: string
  firstName: string
  lastName: string
  street: string | null
  city: string | null
  state: string | null
  zip: string
  locale: string
  refCode: string
  /** the ?ref= code this signer arrived with; credited only within the same campaign */
  referredByCode: string | null
  comment: string | null
  anonymous: boolean
  displayName: string
  source: string | null
  utm: Utm
  referrerHost: string | null
  ipHash: string | null
  /** trust & safety: why this signature is held from counts and deliveries, or null */
  flagReason?: string | null
  consents: Array<{ kind: 'list' | 'terms'; granted: boolean; text: string }>
  confirmTokenHash: Buffer
  confirmTokenTtlHours: number
  /** The confirmation email, queued in the same statement for the signature's supporter. */
  confirmEmail: Omit<OutboxEmail, 'supporterId'>
}

export type InsertedSignature = {
  id: string
  refCode: string
  supporterId: string
  /** held for review (flagReason given): a letter written with it is held too */
  held: boolean
}

/**
 * One statement: upsert the supporter by email, insert the signature (unique per supporter and
 * campaign), its consent records, its confirmation token and the confirmation email in the
 * outbox (written as insertEmailToken and enqueueEmail write them). Returns nothing when this supporter had already signed, in which case nothing else is
 * written either. Being one statement it is atomic on its own: the sign action runs it without a
 * transaction when no lock is needed (docs/decisions/0700-performance-and-resilience.md).
 *
 * An existing supporter's details are only filled in where empty: typing someone else's email
 * must not change their record.
 */
export async function insertSignature(
  sql: Sql,
  s: NewSignature,
): Promise<InsertedSignature | undefined> {
  const [row] = await insertSignatures(sql, [s])
  return row
}

/**
 * insertSignature for several signatures in one statement, so one transaction and one commit
 * (group commit, docs/decisions/1302-group-commit-for-signatures.md): each signature is the same
 * chain of writes, under its own names. The answers are in the order of `list`. Every
 * signature must have its own email address: two rows of one statement cannot both upsert the
 * same supporter (the caller keeps a repeat for a later statement).
 */
export async function insertSignatures(
  sql: Sql,
  list: NewSignature[],
): Promise<Array<InsertedSignature | undefined>> {
  if (list.length === 0) return []
  const chains = list.map((s, k) => signatureChain(sql, s, k))
  const answers = list.map(
    (_, k) =>
      sql`select ${k}::int as ord, id::text, ref_code, supporter_id, held from ${sql(`sig_${k}`)}`,
  )
  const rows = await sql<Array<InsertedSignature & { ord: number }>>`
    with ${chains.reduce((all, chain) => sql`${all}, ${chain}`)}
    ${answers.reduce((all, answer) => sql`${all} union all ${answer}`)}`
  const byOrd = new Map(rows.map(({ ord, ...row }) => [ord, row]))
  return list.map((_, k) => byOrd.get(k))
}

/** The data-modifying CTEs that write signature `s`, named with the suffix `_k`. */
function signatureChain(sql: Sql, s: NewSignature, k: number) {
  const names = ['sup', 'place', 'sig', 'consent', 'token', 'mail', 'hook'] as const
  const n = Object.fromEntries(names.map((name) => [name, sql`${sql(`${name}_${k}`)}`])) as Record<
    (typeof names)[number],
    postgres.Fragment
  >
  return sql`
    ${n.sup} as (
      insert into supporters (email, first_name, last_name, street, city, state, zip, locale)
      values (${s.email}, ${s.firstName}, ${s.lastName}, ${s.street}, ${s.city}, ${s.state},
              ${s.zip}, ${s.locale})
      on conflict (email) do update set
        first_name = coalesce(supporters.first_name, excluded.first_name),
        last_name = coalesce(supporters.last_name, excluded.last_name),
        street = coalesce(supporters.street, excluded.street),
        city = coalesce(supporters.city, excluded.city),
        state = coalesce(supporters.state, excluded.state),
        zip = coalesce(supporters.zip, excluded.zip),
        updated_at = now()
      returning id
    ),
    ${n.place} as (
      -- the ZIP's congressional district when the crosswalk gives exactly one (ADR 0504)
      select min(z.state) as state, min(z.district) as district
      from zip_districts z
      where z.zcta = ${s.zip} and (${s.state}::text is null or z.state = ${s.state})
      having count(*) = 1
    ),
    ${n.sig} as (
      insert into signatures (campaign_id, supporter_id, ref_code, referred_by, comment, anonymous,
                              display_name, city, state, congressional_district, locale, source,
                              utm, referrer_host, ip_hash, held, flag_reason)
      select ${s.campaignId}, ${n.sup}.id, ${s.refCode},
             ${
               // no lookup at all without a code (a generic plan could otherwise walk the
               // campaign's signatures looking for a null code)
               s.referredByCode === null
                 ? sql`null::bigint`
                 : sql`(select r.id from signatures r
                        where r.ref_code = ${s.referredByCode} and r.campaign_id = ${s.campaignId})`
             },
             ${s.comment}, ${s.anonymous}, ${s.displayName}, ${s.city},
             coalesce(${s.state}, (select state from ${n.place})), (select district from ${n.place}),
             ${s.locale}, ${s.source}, ${sql.json(s.utm)}, ${s.referrerHost}, ${s.ipHash},
             ${s.flagReason != null}, ${s.flagReason ?? null}
      from ${n.sup}
      on conflict (campaign_id, supporter_id) do nothing
      returning id, ref_code, supporter_id, held
    ),
    ${n.consent} as (
      insert into consents (supporter_id, campaign_id, kind, granted, consent_text, locale, ip_hash)
      select ${n.sig}.supporter_id, ${s.campaignId}, c.kind, c.granted, c.text, ${s.locale}, ${s.ipHash}
      from ${n.sig}
      cross join jsonb_to_recordset(${sql.json(s.consents)}) as c (kind text, granted boolean, text text)
    ),
    ${n.token} as (${insertEmailTokenFrom(
      sql,
      {
        tokenHash: s.confirmTokenHash,
        purpose: 'confirm_signature',
        ttlMinutes: s.confirmTokenTtlHours * 60,
      },
      { from: n.sig, subjectId: sql`${n.sig}.id::text` },
    )}),
    ${n.mail} as (${enqueueEmailFrom(sql, s.confirmEmail, {
      // a held signature gets its email when a reviewer releases it (queueSignatureConfirmation)
      from: n.sig,
      where: sql`not ${n.sig}.held`,
      supporterId: sql`${n.sig}.supporter_id`,
    })}),
    ${n.hook} as (${enqueueWebhookFrom(sql, 'signature.created', {
      // a held signature is announced when a reviewer releases it, like its email
      from: n.sig,
      where: sql`not ${n.sig}.held`,
      data: sql`jsonb_build_object('signature_id', ${n.sig}.id::text, 'campaign_id', ${s.campaignId}::uuid,
                                   'person_id', ${n.sig}.supporter_id)`,
    })})`
}

export type SignatureToConfirm = {
  email: string
  firstName: string | null
  locale: string
  campaignSlug: string
  supporterId: string
}

/** What a signature's confirmation email needs; undefined when it is held or confirmed already. */
export async function findSignatureToConfirm(
  sql: Sql,
  signatureId: string,
): Promise<SignatureToConfirm | undefined> {
  const [row] = await sql<SignatureToConfirm[]>`
    select p.email, p.first_name, s.locale, c.slug as campaign_slug, s.supporter_id
    from signatures s
    join supporters p on p.id = s.supporter_id
    join campaigns c on c.id = s.campaign_id
    where s.id = ${signatureId} and not s.held and s.confirmed_at is null`
  return row
}

export type ConfirmToken = {
  expired: boolean
  used: boolean
  signatureId: string
  campaignSlug: string
  confirmed: boolean
}

/** Reads a confirmation token without using it (the confirm page's GET). */
export async function findConfirmToken(
  sql: Sql,
  tokenHash: Buffer,
): Promise<ConfirmToken | undefined> {
  const [row] = await sql<ConfirmToken[]>`
    select t.expired, t.used,
           s.id::text as signature_id, c.slug as campaign_slug,
           s.confirmed_at is not null as confirmed
    from (${emailTokenStateQuery(sql, tokenHash, 'confirm_signature')}) t
    join lateral (select * from signatures where id = t.subject_id::bigint) s on true
    join campaigns c on c.id = s.campaign_id
  `
  return row
}

export type ConfirmedSignature = {
  signatureId: string
  campaignId: string
  supporterId: string
  refCode: string
}

/**
 * Uses a confirmation token once and confirms its signature. A list opt-in given when signing
 * takes effect here, once the address is proven (double opt-in).
 */
export async function redeemConfirmToken(
  sql: Sql,
  tokenHash: Buffer,
): Promise<ConfirmedSignature | undefined> {
  const [row] = await sql<ConfirmedSignature[]>`
    with t as (${claimEmailTokenQuery(sql, tokenHash, 'confirm_signature')}),
    s as (
      update signatures s set confirmed_at = coalesce(s.confirmed_at, now())
      from t where s.id = t.subject_id::bigint
      returning s.id, s.campaign_id, s.supporter_id, s.ref_code
    ),
    opt as (
      update supporters p set list_opt_in = true, updated_at = now()
      from s
      where p.id = s.supporter_id and not p.list_opt_in
        and exists (select 1 from consents k
                    where k.supporter_id = s.supporter_id and k.campaign_id = s.campaign_id
                      and k.kind = 'list' and k.granted)
    ),
    hook as (${enqueueWebhookFrom(sql, 'signature.confirmed', {
      from: sql`s`,
      data: sql`jsonb_build_object('signature_id', s.id::text, 'campaign_id', s.campaign_id,
                                   'person_id', s.supporter_id)`,
    })})
    select s.id::text as signature_id, s.campaign_id, s.supporter_id, s.ref_code from s
  `
  return row
}

/** How many people signed through a signer's personal link (?ref=code). */
export async function countReferrals(sql: Sql, campaignId: string, refCode: string) {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n
    from signatures r
    where r.referred_by = (select s.id from signatures s
                           where s.ref_code = ${refCode} and s.campaign_id = ${campaignId})
      and not r.held
  `
  return row.n
}
