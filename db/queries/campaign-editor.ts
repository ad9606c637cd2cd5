import type { Sql } from '../client'
import type { CampaignKind, CampaignStatus } from './campaigns'

export type CampaignRow = {
  id: string
  slug: string
  kind: CampaignKind
  status: CampaignStatus
  goal: number
  defaultLocale: 'en' | 'es'
  locales: string[]
  targetConfig: { house?: boolean; senate?: boolean; stateUpper?: boolean; stateLower?: boolean }
  letterEditable: boolean
  letterMaxLength: number
  cwcTopic: string | null
  bill: { congress: number; type: string; number: number; title?: string; url?: string } | null
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
}

export type CustomTargetRow = {
  id: string
  name: string
  title: string
  channel: 'email' | 'packet'
  email: string | null
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
           letter_max_length, cwc_topic, bill, donation_config, created_at, updated_at,
           published_at, closed_at
    from campaigns where id = ${id} ${forUpdate ? sql`for update` : sql``}`
  return row
}

export async function findCampaignCopy(sql: Sql, campaignId: string): Promise<CopyRow[]> {
  return sql<CopyRow[]>`
    select locale, headline, summary, story, ask, facts, thank_you, share_text, letter_subject,
           letter_body
    from campaign_copy where campaign_id = ${campaignId} order by locale`
}

export async function findCustomTargets(sql: Sql, campaignId: string): Promise<CustomTargetRow[]> {
  return sql<CustomTargetRow[]>`
    select id, name, title, channel, email, position
    from custom_targets where campaign_id = ${campaignId} order by position, name`
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
    }
    await sql`
      insert into campaign_copy ${sql(row)}
      on conflict (campaign_id, locale) do update set
        headline = excluded.headline, summary = excluded.summary, story = excluded.story,
        ask = excluded.ask, facts = excluded.facts, thank_you = excluded.thank_you,
        share_text = excluded.share_text, letter_subject = excluded.letter_subject,
        letter_body = excluded.letter_body`
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
        set title = ${t.title}, channel = ${t.channel}, email = ${t.email}, position = ${position}
        where id = ${match.id}`
    } else {
      const [row] = await sql<{ id: string }[]>`
        insert into custom_targets ${sql({ ...t, campaignId, position })} returning id`
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
