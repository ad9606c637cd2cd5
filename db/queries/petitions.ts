import type { Sql } from '../client'
import { claimEmailTokenQuery, emailTokenStateQuery, insertEmailTokenFrom } from './email-tokens'
import { enqueueEmailFrom, type OutboxEmail } from './mail'
import type { CampaignKind, CampaignStatus } from './campaigns'

export type Fact = { text: string; sourceTitle: string; sourceUrl: string }
export type Bill = { congress: number; type: string; number: number; title: string; url?: string }

export type CampaignPage = {
  id: string
  slug: string
  kind: CampaignKind
  status: CampaignStatus
  goal: number
  defaultLocale: string
  bill: Bill | null
  donationEnabled: boolean
  /** The locale the copy below is in (the requested one, or the campaign's default). */
  copyLocale: string
  headline: string
  summary: string
  story: string
  ask: string
  facts: Fact[]
  thankYou: string
  shareText: string
}

/**
 * A public campaign (live or closed) with its copy in `locale`, or in the campaign's default
 * locale when there is no copy in `locale`. Drafts are not public.
 */
export async function getPublicCampaign(
  sql: Sql,
  slug: string,
  locale: string,
): Promise<CampaignPage | undefined> {
  const [row] = await sql<CampaignPage[]>`
    select c.id, c.slug, c.kind, c.status, c.goal, c.default_locale, c.bill,
           coalesce((c.donation_config->>'enabled')::boolean, false) as donation_enabled,
           cc.locale as copy_locale, cc.headline, cc.summary, cc.story, cc.ask, cc.facts,
           cc.thank_you, cc.share_text
    from campaigns c
    cross join lateral (
      select * from campaign_copy
      where campaign_id = c.id and locale in (${locale}, c.default_locale)
      order by (locale = ${locale}) desc
      limit 1
    ) cc
    where c.slug = ${slug} and c.status in ('live', 'closed')
  `
  return row
}

export type SignatureCount = { total: number; confirmed: number }

/** Sums the sharded counters kept by a trigger (see migration 0010). Held signatures are left out. */
export async function getSignatureCount(sql: Sql, campaignSlug: string): Promise<SignatureCount> {
  const [row] = await sql<SignatureCount[]>`
    select coalesce(sum(n.total), 0)::int as total, coalesce(sum(n.confirmed), 0)::int as confirmed
    from signature_counts n
    where n.campaign_id = (select id from campaigns where slug = ${campaignSlug})
  `
  return row
}

export type RecentSigner = {
  displayName: string | null
  city: string | null
  state: string | null
  anonymous: boolean
  createdAt: Date
}

/** The latest signers for public display; anonymous signers show neither name nor place. */
export async function listRecentSigners(
  sql: Sql,
  campaignSlug: string,
  limit = 8,
): Promise<RecentSigner[]> {
  return sql<RecentSigner[]>`
    select case when s.anonymous then null else s.display_name end as display_name,
           case when s.anonymous then null else s.city end as city,
           case when s.anonymous then null else s.state end as state,
           s.anonymous, s.created_at
    from signatures s
    where s.campaign_id = (select id from campaigns where slug = ${campaignSlug}) and not s.held
    order by s.created_at desc
    limit ${limit}
  `
}

/** A live letter campaign pushing the same bill: the thank-you page's "write your legislators". */
export async function findLetterCampaignForBill(
  sql: Sql,
  campaignId: string,
): Promise<string | undefined> {
  const [row] = await sql<{ slug: string }[]>`
    select l.slug
    from campaigns p
    join campaigns l
      on l.kind = 'letter' and l.status = 'live' and l.id <> p.id
     and l.bill->>'congress' = p.bill->>'congress'
     and l.bill->>'type' = p.bill->>'type'
     and l.bill->>'number' = p.bill->>'number'
    where p.id = ${campaignId}
    order by l.published_at desc nulls last
    limit 1
  `
  return row?.slug
}

export type Utm = {
  source?: string
  medium?: string
  campaign?: string
  term?: string
  content?: string
}

export type NewPageView = {
  campaignSlug: string
  path: string
  locale: string
  source: string | null
  utm: Utm
  ref: string | null
  referrerHost: string | null
  createdAt?: Date
}

/** Many views in one statement (the buffered path). */
export async function insertPageViews(
  sql: Sql,
  views: Array<NewPageView & { createdAt?: Date }>,
): Promise<void> {
  if (views.length === 0) return
  await sql`
    insert into page_views (campaign_id, path, locale, source, utm, ref, referrer_host, created_at)
    select c.id, v.path, v.locale, v.source, v.utm::jsonb, v.ref, v.referrer_host, v.created_at
    from unnest(
      ${views.map((v) => v.campaignSlug)}::text[],
      ${views.map((v) => v.path)}::text[],
      ${views.map((v) => v.locale)}::text[],
      ${views.map((v) => v.source)}::text[],
      ${views.map((v) => JSON.stringify(v.utm))}::text[],
      ${views.map((v) => v.ref)}::text[],
      ${views.map((v) => v.referrerHost)}::text[],
      ${views.map((v) => (v.createdAt ?? new Date()).toISOString())}::timestamptz[]
    ) as v(slug, path, locale, source, utm, ref, referrer_host, created_at)
    join campaigns c on c.slug = v.slug and c.status in ('live', 'closed')
  `
}

export async function insertPageView(sql: Sql, view: NewPageView): Promise<void> {
  await sql`
    insert into page_views (campaign_id, path, locale, source, utm, ref, referrer_host)
    select c.id, ${view.path}, ${view.locale}, ${view.source}, ${sql.json(view.utm)}, ${view.ref},
           ${view.referrerHost}
    from campaigns c
    where c.slug = ${view.campaignSlug} and c.status in ('live', 'closed')
  `
}

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

export type InsertedSignature = { id: string; refCode: string; supporterId: string }

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
  const [row] = await sql<InsertedSignature[]>`
    with sup as (
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
    place as (
      -- the ZIP's congressional district when the crosswalk gives exactly one (ADR 0504)
      select min(z.state) as state, min(z.district) as district
      from zip_districts z
      where z.zcta = ${s.zip} and (${s.state}::text is null or z.state = ${s.state})
      having count(*) = 1
    ),
    sig as (
      insert into signatures (campaign_id, supporter_id, ref_code, referred_by, comment, anonymous,
                              display_name, city, state, congressional_district, locale, source,
                              utm, referrer_host, ip_hash, held, flag_reason)
      select ${s.campaignId}, sup.id, ${s.refCode},
             (select r.id from signatures r
               where r.ref_code = ${s.referredByCode} and r.campaign_id = ${s.campaignId}),
             ${s.comment}, ${s.anonymous}, ${s.displayName}, ${s.city},
             coalesce(${s.state}, (select state from place)), (select district from place),
             ${s.locale}, ${s.source}, ${sql.json(s.utm)}, ${s.referrerHost}, ${s.ipHash},
             ${s.flagReason != null}, ${s.flagReason ?? null}
      from sup
      on conflict (campaign_id, supporter_id) do nothing
      returning id, ref_code, supporter_id
    ),
    consent as (
      insert into consents (supporter_id, campaign_id, kind, granted, consent_text, locale, ip_hash)
      select sig.supporter_id, ${s.campaignId}, c.kind, c.granted, c.text, ${s.locale}, ${s.ipHash}
      from sig
      cross join jsonb_to_recordset(${sql.json(s.consents)}) as c (kind text, granted boolean, text text)
    ),
    token as (${insertEmailTokenFrom(
      sql,
      {
        tokenHash: s.confirmTokenHash,
        purpose: 'confirm_signature',
        ttlMinutes: s.confirmTokenTtlHours * 60,
      },
      { from: sql`sig`, subjectId: sql`sig.id::text` },
    )}),
    mail as (${enqueueEmailFrom(sql, s.confirmEmail, {
      from: sql`sig`,
      supporterId: sql`sig.supporter_id`,
    })})
    select id::text, ref_code, supporter_id from sig
  `
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
    )
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
