import type { Sql } from '../client'

// Campaigns: the public reads (home page, campaign page, page views) and the organizer's editor.

export type CampaignKind = 'petition' | 'letter' | 'call'
export type CampaignStatus = 'draft' | 'live' | 'closed'

export type CampaignSummary = {
  id: string
  slug: string
  kind: CampaignKind
  status: CampaignStatus
  goal: number
  headline: string
  summary: string
  locale: string
  signatureCount: number
}

/**
 * Live campaigns with their copy in `locale`, falling back to the campaign's default locale.
 * The count leaves out held (flagged) signatures.
 */
export async function listLiveCampaigns(sql: Sql, locale: string): Promise<CampaignSummary[]> {
  return sql<CampaignSummary[]>`
    select c.id, c.slug, c.kind, c.status, c.goal,
           coalesce(l.headline, d.headline) as headline,
           coalesce(l.summary, d.summary) as summary,
           coalesce(l.locale, d.locale) as locale,
           (select coalesce(sum(n.total), 0)::int from signature_counts n where n.campaign_id = c.id) as signature_count
    from campaigns c
    join campaign_copy d on d.campaign_id = c.id and d.locale = c.default_locale
    left join campaign_copy l on l.campaign_id = c.id and l.locale = ${locale}
    where c.status = 'live'
    order by c.published_at desc nulls last, c.created_at desc
  `
}

// ---------------------------------------------------------------------------------------------
// The public campaign page

export type Fact = { text: string; sourceTitle: string; sourceUrl: string }

/**
 * Committee targets: "every" member of the chosen committees (petitions), or only the writer's
 * own legislators who sit on one of them ("mine", constituent letters).
 * See docs/decisions/0900-committee-targets.md.
 */
export type CommitteeTargetMode = 'every' | 'mine'
export type TargetConfig = {
  house?: boolean
  senate?: boolean
  stateUpper?: boolean
  stateLower?: boolean
  /** committee or subcommittee ids, e.g. ['HSJU', 'SSJU01'] */
  committees?: string[]
  committeeMode?: CommitteeTargetMode
  /** bioguide ids of the legislators thanked instead of asked (ADR 0904), e.g. cosponsors */
  thanks?: string[]
}
export type BillCompanion = { type: string; number: number; url?: string }
export type Bill = {
  congress: number
  type: string
  number: number
  title: string
  url?: string
  /** The identical bill in the other chamber (e.g. H.R. 4829 for S. 2525). */
  companion?: BillCompanion
}

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

// ---------------------------------------------------------------------------------------------
// The organizer's campaign editor

export type CampaignRow = {
  id: string
  slug: string
  kind: CampaignKind
  status: CampaignStatus
  goal: number
  defaultLocale: 'en' | 'es'
  locales: string[]
  targetConfig: TargetConfig
  letterEditable: boolean
  letterMaxLength: number
  /** send letters only after the writer confirms their email (migration 0081) */
  letterRequiresConfirmation: boolean
  cwcTopic: string | null
  bill: {
    congress: number
    type: string
    number: number
    title?: string
    url?: string
    companion?: BillCompanion
  } | null
  donationConfig: { enabled: boolean; amounts: number[]; maxAmount: number; showTotal: boolean }
  createdAt: Date
  updatedAt: Date
  publishedAt: Date | null
  closedAt: Date | null
}

export type CopyRow = {
  locale: 'en' | 'es'
  headline: string
  summary: string
  story: string
  ask: string
  facts: Array<{ text: string; sourceTitle: string; sourceUrl: string }>
  thankYou: string
  shareText: string
  letterSubject: string | null
  letterBody: string | null
  /** the officials' and thank-you letters (ADR 0904); absent means none */
  officialsSubject?: string | null
  officialsBody?: string | null
  thanksSubject?: string | null
  thanksBody?: string | null
}

export type CustomTargetRow = {
  id: string
  name: string
  title: string
  channel: 'email' | 'packet'
  email: string | null
  /** e.g. "Dear Mr. or Madam Secretary" (ADR 0904) */
  salutation?: string | null
  position: number
}

export type CampaignListRow = {
  id: string
  slug: string
  kind: CampaignKind
  status: CampaignStatus
  headline: string
  goal: number
  updatedAt: Date
  signatures: number
  confirmed: number
}

export async function listCampaignsForAdmin(sql: Sql): Promise<CampaignListRow[]> {
  return sql<CampaignListRow[]>`
    select c.id, c.slug, c.kind, c.status, c.goal, c.updated_at,
           coalesce(d.headline, c.slug) as headline,
           coalesce(s.signatures, 0)::int as signatures,
           coalesce(s.confirmed, 0)::int as confirmed
    from campaigns c
    left join campaign_copy d on d.campaign_id = c.id and d.locale = c.default_locale
    left join (
      -- the sharded counters of migration 0010 (held signatures left out)
      select campaign_id, sum(total) as signatures, sum(confirmed) as confirmed
      from signature_counts group by campaign_id
    ) s on s.campaign_id = c.id
    order by c.created_at desc`
}

/** With `forUpdate`, the row stays locked until the transaction ends (an edit in progress). */
export async function findCampaign(
  sql: Sql,
  id: string,
  { forUpdate = false }: { forUpdate?: boolean } = {},
): Promise<CampaignRow | undefined> {
  const [row] = await sql<CampaignRow[]>`
    select id, slug, kind, status, goal, default_locale, locales, target_config, letter_editable,
           letter_max_length, letter_requires_confirmation, cwc_topic, bill, donation_config, created_at, updated_at,
           published_at, closed_at
    from campaigns where id = ${id} ${forUpdate ? sql`for update` : sql``}`
  return row
}

export async function findCampaignCopy(sql: Sql, campaignId: string): Promise<CopyRow[]> {
  return sql<CopyRow[]>`
    select locale, headline, summary, story, ask, facts, thank_you, share_text, letter_subject,
           letter_body, officials_subject, officials_body, thanks_subject, thanks_body
    from campaign_copy where campaign_id = ${campaignId} order by locale`
}

export async function findCustomTargets(sql: Sql, campaignId: string): Promise<CustomTargetRow[]> {
  return sql<CustomTargetRow[]>`
    select id, name, title, channel, email, salutation, position
    from custom_targets where campaign_id = ${campaignId} order by position, name`
}

/** Names for a thank-you list's bioguide ids (ADR 0904); ids the roster lacks are left out. */
export async function selectLegislatorNames(
  sql: Sql,
  ids: string[],
): Promise<Array<{ id: string; fullName: string }>> {
  if (ids.length === 0) return []
  return sql<Array<{ id: string; fullName: string }>>`
    select id, full_name from legislators where id = any(${ids}::text[])`
}

export type CampaignFields = Omit<
  CampaignRow,
  'id' | 'status' | 'createdAt' | 'updatedAt' | 'publishedAt' | 'closedAt'
>

function columns(sql: Sql, f: CampaignFields) {
  return {
    slug: f.slug,
    kind: f.kind,
    goal: f.goal,
    defaultLocale: f.defaultLocale,
    locales: f.locales,
    targetConfig: sql.json(f.targetConfig as never),
    letterEditable: f.letterEditable,
    letterMaxLength: f.letterMaxLength,
    letterRequiresConfirmation: f.letterRequiresConfirmation,
    cwcTopic: f.cwcTopic,
    bill: f.bill ? sql.json(f.bill as never) : null,
    donationConfig: sql.json(f.donationConfig as never),
  }
}

/** Undefined when the slug is taken. */
export async function insertCampaign(
  sql: Sql,
  f: CampaignFields,
  createdBy: string,
): Promise<string | undefined> {
  const [row] = await sql<{ id: string }[]>`
    insert into campaigns ${sql({ ...columns(sql, f), createdBy })}
    on conflict (slug) do nothing
    returning id`
  return row?.id
}

/** False when the new slug belongs to another campaign. */
export async function updateCampaignRow(sql: Sql, id: string, f: CampaignFields): Promise<boolean> {
  const [taken] = await sql`select 1 from campaigns where slug = ${f.slug} and id <> ${id}`
  if (taken) return false
  const c = columns(sql, f)
  await sql`
    update campaigns set ${sql(c)}, updated_at = now()
    where id = ${id}`
  return true
}

export async function replaceCampaignCopy(sql: Sql, campaignId: string, copies: CopyRow[]) {
  await sql`
    delete from campaign_copy
    where campaign_id = ${campaignId} and not (locale = any(${copies.map((c) => c.locale)}))`
  for (const c of copies) {
    const row = {
      campaignId,
      locale: c.locale,
      headline: c.headline,
      summary: c.summary,
      story: c.story,
      ask: c.ask,
      facts: sql.json(c.facts),
      thankYou: c.thankYou,
      shareText: c.shareText,
      letterSubject: c.letterSubject,
      letterBody: c.letterBody,
      officialsSubject: c.officialsSubject ?? null,
      officialsBody: c.officialsBody ?? null,
      thanksSubject: c.thanksSubject ?? null,
      thanksBody: c.thanksBody ?? null,
    }
    await sql`
      insert into campaign_copy ${sql(row)}
      on conflict (campaign_id, locale) do update set
        headline = excluded.headline, summary = excluded.summary, story = excluded.story,
        ask = excluded.ask, facts = excluded.facts, thank_you = excluded.thank_you,
        share_text = excluded.share_text, letter_subject = excluded.letter_subject,
        letter_body = excluded.letter_body, officials_subject = excluded.officials_subject,
        officials_body = excluded.officials_body, thanks_subject = excluded.thanks_subject,
        thanks_body = excluded.thanks_body`
  }
}

/**
 * Keeps a target's id when its name is unchanged (deliveries refer to 'custom/<id>'), inserts new
 * ones and removes the rest.
 */
export async function replaceCustomTargets(
  sql: Sql,
  campaignId: string,
  targets: Array<Omit<CustomTargetRow, 'id' | 'position'>>,
) {
  const existing = await findCustomTargets(sql, campaignId)
  const kept: string[] = []
  for (const [position, t] of targets.entries()) {
    const match = existing.find((e) => e.name === t.name && !kept.includes(e.id))
    if (match) {
      kept.push(match.id)
      await sql`
        update custom_targets
        set title = ${t.title}, channel = ${t.channel}, email = ${t.email},
            salutation = ${t.salutation ?? null}, position = ${position}
        where id = ${match.id}`
    } else {
      const [row] = await sql<{ id: string }[]>`
        insert into custom_targets ${sql({ ...t, salutation: t.salutation ?? null, campaignId, position })}
        returning id`
      kept.push(row.id)
    }
  }
  await sql`
    delete from custom_targets where campaign_id = ${campaignId} and not (id = any(${kept}::uuid[]))`
}

export async function setCampaignStatusRow(
  sql: Sql,
  id: string,
  from: CampaignStatus[],
  to: CampaignStatus,
): Promise<boolean> {
  const rows = await sql`
    update campaigns set
      status = ${to},
      published_at = case when ${to} = 'live' then coalesce(published_at, now()) else published_at end,
      closed_at = case when ${to} = 'closed' then now() else null end,
      updated_at = now()
    where id = ${id} and status = any(${from})
    returning id`
  return rows.length > 0
}
