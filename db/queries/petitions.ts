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
  confirmEmail: Omit<OutboxEmail, 'supporterId' | 'html' | 'textBody'> & { body: TemplatedBody }
}

/**
 * An email body as a rendered template with two markers, and one email's values for them
 * (ADR 1309). The signatures of one statement that share a template (the same object) carry it
 * once, and Postgres fills each row's body in: the batch no longer repeats a 6 KB body per row.
 * Each marker is replaced literally, the first and then the second, here and in filledBody.
 */
export type TemplatedBody = {
  template: { html: string; text: string; markers: readonly [string, string] }
  html: readonly [string, string]
  text: readonly [string, string]
}

/** The body as insertSignatures stores it, for a writer that queues the email on its own. */
export function filledBody({ template, html, text }: TemplatedBody) {
  const [first, second] = template.markers
  const fill = (body: string, values: readonly [string, string]) =>
    body.split(first).join(values[0]).split(second).join(values[1])
  return { html: fill(template.html, html), textBody: fill(template.text, text) }
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
 * (group commit, docs/decisions/1302-group-commit-for-signatures.md). The signatures travel as
 * one JSON parameter, one row each, and every write below is one set-based insert over those
 * rows: the statement's text is the same for any number of signatures, so each connection
 * parses and plans it once (ADR 1304). The answers are in the order of `list`. Every signature
 * must have its own email address: two rows of one statement cannot both upsert the same
 * supporter (the caller keeps a repeat for a later statement).
 */
export async function insertSignatures(
  sql: Sql,
  list: NewSignature[],
): Promise<Array<InsertedSignature | undefined>> {
  if (list.length === 0) return []
  const templates = new Map<TemplatedBody['template'], number>()
  for (const { confirmEmail } of list) {
    const { template } = confirmEmail.body
    if (!templates.has(template)) templates.set(template, templates.size)
  }
  const bodies = [...templates.keys()].map(({ html, text, markers }, ord) => ({
    ord,
    html,
    text,
    m1: markers[0],
    m2: markers[1],
  }))
  const rows = await sql<Array<InsertedSignature & { ord: number }>>`
    with t as (
      select * from json_to_recordset(${sql.json(bodies)}::json)
        as t (ord int, html text, text text, m1 text, m2 text)
    ),
    b as (
      select * from json_to_recordset(${sql.json(list.map((s, ord) => batchRow(s, ord, templates)))}::json) as b (
        ord int, campaign_id uuid, email text, first_name text, last_name text, street text,
        city text, state text, zip text, locale text, ref_code text, referred_by_code text,
        comment text, anonymous boolean, display_name text, source text, utm jsonb,
        referrer_host text, ip_hash text, flag_reason text, consents json, token_hash text,
        token_ttl_minutes int, mail_kind text, mail_template text, mail_to text, mail_from text,
        mail_reply_to text, mail_subject text, mail_body int, mail_h1 text, mail_h2 text,
        mail_t1 text, mail_t2 text, mail_headers jsonb,
        mail_message_id text, mail_status text, mail_cap_key text, mail_cap_max int)
    ),
    sup as (
      insert into supporters (email, first_name, last_name, street, city, state, zip, locale)
      select email, first_name, last_name, street, city, state, zip, locale from b order by ord
      on conflict (email) do update set
        first_name = coalesce(supporters.first_name, excluded.first_name),
        last_name = coalesce(supporters.last_name, excluded.last_name),
        street = coalesce(supporters.street, excluded.street),
        city = coalesce(supporters.city, excluded.city),
        state = coalesce(supporters.state, excluded.state),
        zip = coalesce(supporters.zip, excluded.zip),
        updated_at = now()
      returning id, email
    ),
    sig as (
      insert into signatures (campaign_id, supporter_id, ref_code, referred_by, comment, anonymous,
                              display_name, city, state, congressional_district, locale, source,
                              utm, referrer_host, ip_hash, held, flag_reason)
      select b.campaign_id, sup.id, b.ref_code,
             -- no lookup at all without a code
             case when b.referred_by_code is not null then
               (select r.id from signatures r
                where r.ref_code = b.referred_by_code and r.campaign_id = b.campaign_id)
             end,
             b.comment, b.anonymous, b.display_name, b.city,
             coalesce(b.state, place.state), place.district,
             b.locale, b.source, b.utm, b.referrer_host, b.ip_hash,
             b.flag_reason is not null, b.flag_reason
      from b
      join sup on sup.email = b.email
      -- the ZIP's congressional district when the crosswalk gives exactly one (ADR 0504)
      left join lateral (
        select min(z.state) as state, min(z.district) as district
        from zip_districts z
        where z.zcta = b.zip and (b.state is null or z.state = b.state)
        having count(*) = 1
      ) place on true
      order by b.ord
      on conflict (campaign_id, supporter_id) do nothing
      returning id, ref_code, supporter_id, held
    ),
    -- each new signature with its own row of the batch (ref codes are unique)
    s as (
      select sig.id, sig.supporter_id, sig.held, b.*
      from sig join b on b.ref_code = sig.ref_code
    ),
    consent as (
      insert into consents (supporter_id, campaign_id, kind, granted, consent_text, locale, ip_hash)
      select s.supporter_id, s.campaign_id, c.kind, c.granted, c.text, s.locale, s.ip_hash
      from s cross join json_to_recordset(s.consents) as c (kind text, granted boolean, text text)
    ),
    token as (${insertEmailTokenFrom(
      sql,
      {
        tokenHash: sql`decode(s.token_hash, 'hex')`,
        purpose: 'confirm_signature',
        ttlMinutes: sql`s.token_ttl_minutes`,
      },
      { from: sql`s`, subjectId: sql`s.id::text` },
    )}),
    mail as (${enqueueEmailFrom(
      sql,
      {
        kind: sql`s.mail_kind`,
        template: sql`s.mail_template`,
        toAddress: sql`s.mail_to`,
        fromAddress: sql`s.mail_from`,
        replyTo: sql`s.mail_reply_to`,
        subject: sql`s.mail_subject`,
        html: sql`replace(replace(t.html, t.m1, s.mail_h1), t.m2, s.mail_h2)`,
        textBody: sql`replace(replace(t.text, t.m1, s.mail_t1), t.m2, s.mail_t2)`,
        headers: sql`s.mail_headers`,
        messageId: sql`s.mail_message_id`,
        status: sql`s.mail_status`,
        dailyCap: { key: sql`s.mail_cap_key`, max: sql`s.mail_cap_max` },
      },
      // a held signature gets its email when a reviewer releases it (queueSignatureConfirmation)
      {
        from: sql`s join t on t.ord = s.mail_body`,
        where: sql`not s.held`,
        supporterId: sql`s.supporter_id`,
      },
    )}),
    hook as (${enqueueWebhookFrom(sql, 'signature.created', {
      // a held signature is announced when a reviewer releases it, like its email
      from: sql`s`,
      where: sql`not s.held`,
      data: sql`jsonb_build_object('signature_id', s.id::text, 'campaign_id', s.campaign_id,
                                   'person_id', s.supporter_id)`,
    })})
    select s.ord, s.id::text, s.ref_code, s.supporter_id, s.held from s`
  const byOrd = new Map(rows.map(({ ord, ...row }) => [ord, row]))
  return list.map((_, k) => byOrd.get(k))
}

/** One signature as a row of insertSignatures' batch (the names of its recordset's columns). */
function batchRow(s: NewSignature, ord: number, templates: Map<TemplatedBody['template'], number>) {
  const mail = s.confirmEmail
  return {
    ord,
    campaign_id: s.campaignId,
    email: s.email,
    first_name: s.firstName,
    last_name: s.lastName,
    street: s.street,
    city: s.city,
    state: s.state,
    zip: s.zip,
    locale: s.locale,
    ref_code: s.refCode,
    referred_by_code: s.referredByCode,
    comment: s.comment,
    anonymous: s.anonymous,
    display_name: s.displayName,
    source: s.source,
    utm: s.utm,
    referrer_host: s.referrerHost,
    ip_hash: s.ipHash,
    flag_reason: s.flagReason ?? null,
    consents: s.consents,
    token_hash: s.confirmTokenHash.toString('hex'),
    token_ttl_minutes: s.confirmTokenTtlHours * 60,
    mail_kind: mail.kind,
    mail_template: mail.template,
    mail_to: mail.toAddress,
    mail_from: mail.fromAddress,
    mail_reply_to: mail.replyTo,
    mail_subject: mail.subject,
    mail_body: templates.get(mail.body.template),
    mail_h1: mail.body.html[0],
    mail_h2: mail.body.html[1],
    mail_t1: mail.body.text[0],
    mail_t2: mail.body.text[1],
    mail_headers: mail.headers,
    mail_message_id: mail.messageId,
    mail_status: mail.status,
    mail_cap_key: mail.dailyCap?.key ?? null,
    mail_cap_max: mail.dailyCap?.max ?? null,
  }
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
