import type postgres from 'postgres'
import type { Sql } from '../client'
import { listMailable } from './mail'

// Ask ladders: a campaign's ordered next asks, what each supporter has done, follow-ups
// (ADR 1101).

export type LadderStepKind = 'share' | 'campaign' | 'donate'
export type StepCopy = { title: string; text: string }

export type LadderStep = {
  id: string
  campaignId: string
  position: number
  kind: LadderStepKind
  targetCampaignId: string | null
  targetSlug: string | null
  targetKind: string | null
  targetLive: boolean
  copy: Partial<Record<'en' | 'es', StepCopy>>
  shownCount: number
}

const stepColumns = (sql: Sql) => sql`
  s.id, s.campaign_id, s.position, s.kind, s.target_campaign_id, t.slug as target_slug,
  t.kind as target_kind, coalesce(t.status = 'live', false) as target_live, s.copy,
  s.shown_count::int as shown_count`

export async function listLadderSteps(sql: Sql, campaignId: string): Promise<LadderStep[]> {
  return sql<LadderStep[]>`
    select ${stepColumns(sql)}
    from ladder_steps s left join campaigns t on t.id = s.target_campaign_id
    where s.campaign_id = ${campaignId}
    order by s.position`
}

/**
 * Whether the supporter `supporter` has done step `s` (a ladder_steps row), after signing with
 * signature `g` (for "share": someone signed through their link). With `within`, only what they
 * did within 7 days after that time counts (the dashboard's conversion). The one definition of
 * "done", for the pages, the follow-ups and the dashboard.
 */
function stepDone(
  sql: Sql,
  supporter: postgres.Fragment,
  signature: postgres.Fragment,
  within: postgres.Fragment | null,
): postgres.Fragment {
  const window = (at: postgres.Fragment) =>
    within ? sql`and ${at} >= ${within} and ${at} < ${within} + interval '7 days'` : sql``
  return sql`(case s.kind
    when 'share' then exists (
      select 1 from signatures r where r.referred_by = ${signature} ${window(sql`r.created_at`)})
    when 'campaign' then exists (
      select 1 from signatures x
      where x.campaign_id = s.target_campaign_id and x.supporter_id = ${supporter}
        ${window(sql`x.created_at`)})
      or exists (
      select 1 from letters l
      where l.campaign_id = s.target_campaign_id and l.supporter_id = ${supporter}
        ${window(sql`l.created_at`)})
    when 'donate' then exists (
      select 1 from donations d
      where d.supporter_id = ${supporter} and d.status = 'paid' ${window(sql`d.created_at`)})
    else false end)`
}

/** A step that can be asked now: a campaign step's target is live. */
const askable = (sql: Sql) =>
  sql`(s.kind <> 'campaign' or exists (
    select 1 from campaigns t2 where t2.id = s.target_campaign_id and t2.status = 'live'))`

/** The signature behind a thank-you page's code, in that campaign. */
export async function findSignatureByCode(
  sql: Sql,
  campaignId: string,
  refCode: string,
): Promise<{ id: string; supporterId: string } | undefined> {
  const [row] = await sql<{ id: string; supporterId: string }[]>`
    select id::text, supporter_id from signatures
    where campaign_id = ${campaignId} and ref_code = ${refCode} and erased_at is null`
  return row
}

/**
 * The first askable step of the campaign's ladder this supporter has not done (any step when
 * nobody is known), counted as shown: an aggregate counter, never who saw it.
 */
export async function takeNextStep(
  sql: Sql,
  campaignId: string,
  who: { supporterId: string; signatureId: string | null } | null,
): Promise<LadderStep | undefined> {
  const notDone = who
    ? sql`not ${stepDone(sql, sql`${who.supporterId}::uuid`, sql`${who.signatureId}::bigint`, null)}`
    : sql`true`
  const [row] = await sql<LadderStep[]>`
    with next as (
      select s.id from ladder_steps s
      where s.campaign_id = ${campaignId} and ${askable(sql)} and ${notDone}
      order by s.position
      limit 1
    ),
    shown as (
      update ladder_steps s set shown_count = s.shown_count + 1 from next where s.id = next.id
      returning s.id
    )
    select ${stepColumns(sql)}
    from ladder_steps s left join campaigns t on t.id = s.target_campaign_id
    where s.id = (select id from next)`
  return row
}

export type NewStep = {
  id?: string
  kind: LadderStepKind
  targetCampaignId: string | null
  copy: Partial<Record<'en' | 'es', StepCopy>>
}

/**
 * Replaces a campaign's ladder, keeping the rows (their counters and follow-up history) of steps
 * that stay, in the given order.
 */
export async function replaceLadder(
  sql: Sql,
  campaignId: string,
  steps: NewStep[],
  followUpHours: number,
): Promise<void> {
  const keep = steps.map((s) => s.id).filter((id): id is string => Boolean(id))
  await sql`
    delete from ladder_steps
    where campaign_id = ${campaignId} and not (id = any(${keep}::uuid[]))`
  // out of the way of the unique (campaign_id, position) while the order changes
  await sql`update ladder_steps set position = position + 10000 where campaign_id = ${campaignId}`
  for (const [position, step] of steps.entries()) {
    const fields = {
      position,
      kind: step.kind,
      targetCampaignId: step.targetCampaignId,
      copy: sql.json(step.copy as never),
    }
    if (step.id) {
      await sql`update ladder_steps set ${sql(fields)} where id = ${step.id} and campaign_id = ${campaignId}`
    } else {
      await sql`insert into ladder_steps ${sql({ ...fields, campaignId })}`
    }
  }
  await sql`update campaigns set follow_up_hours = ${followUpHours} where id = ${campaignId}`
}

export async function getFollowUpHours(sql: Sql, campaignId: string): Promise<number | undefined> {
  const [row] = await sql<{ followUpHours: number }[]>`
    select follow_up_hours from campaigns where id = ${campaignId}`
  return row?.followUpHours
}

export type FollowUpCandidate = {
  stepId: string
  supporterId: string
  signatureId: string
  email: string
  locale: string
  refCode: string
  campaignSlug: string
  donationEnabled: boolean
}

/**
 * Supporters due a follow-up: signatures confirmed at least the campaign's follow_up_hours ago
 * (and at most 2 days more, so a new ladder never mails a whole list's history), not held or
 * erased, whose supporter may get list mail and got no follow-up from this campaign's ladder yet;
 * for each, the first askable step not done. At most `limit`. (ladder_follow_ups' key also
 * makes it at most one per step per supporter, whatever the ladder becomes.)
 */
export async function listDueFollowUps(sql: Sql, limit: number): Promise<FollowUpCandidate[]> {
  return sql<FollowUpCandidate[]>`
    select n.step_id, g.supporter_id, g.id::text as signature_id, p.email, p.locale, g.ref_code,
           c.slug as campaign_slug, coalesce((c.donation_config ->> 'enabled')::boolean, false)
             as donation_enabled
    from signatures g
    join campaigns c on c.id = g.campaign_id
    join supporters p on p.id = g.supporter_id
    cross join lateral (
      select s.id as step_id from ladder_steps s
      where s.campaign_id = g.campaign_id and ${askable(sql)}
        and not ${stepDone(sql, sql`g.supporter_id`, sql`g.id`, null)}
      order by s.position
      limit 1
    ) n
    where g.confirmed_at is not null
      and g.confirmed_at <= now() - make_interval(hours => c.follow_up_hours)
      and g.confirmed_at > now() - make_interval(hours => c.follow_up_hours + 48)
      and not g.held and g.erased_at is null
      and ${listMailable(sql, sql`p`)}
      -- one follow-up per signature's ladder: none yet for any step of this campaign
      and not exists (
        select 1 from ladder_follow_ups f join ladder_steps s2 on s2.id = f.step_id
        where s2.campaign_id = g.campaign_id and f.supporter_id = g.supporter_id)
    order by g.confirmed_at
    limit ${limit}`
}

/** Records the follow-up; false when one for this step already went to this supporter. */
export async function insertFollowUp(
  sql: Sql,
  stepId: string,
  supporterId: string,
): Promise<boolean> {
  const done = await sql`
    insert into ladder_follow_ups (step_id, supporter_id) values (${stepId}, ${supporterId})
    on conflict do nothing`
  return done.count > 0
}

export async function getStep(sql: Sql, stepId: string): Promise<LadderStep | undefined> {
  const [row] = await sql<LadderStep[]>`
    select ${stepColumns(sql)}
    from ladder_steps s left join campaigns t on t.id = s.target_campaign_id
    where s.id = ${stepId}`
  return row
}

export type StepConversion = LadderStep & { taken: number; followUps: number; supporters: number }

/**
 * Each step's conversion: shown (the counter), taken (supporters of this campaign who did the
 * step within 7 days of signing it) and follow-ups sent.
 */
export async function ladderConversion(sql: Sql, campaignId: string): Promise<StepConversion[]> {
  return sql<StepConversion[]>`
    select ${stepColumns(sql)},
      (select count(*)::int from signatures g
        where g.campaign_id = s.campaign_id and not g.held
          and ${stepDone(sql, sql`g.supporter_id`, sql`g.id`, sql`g.created_at`)}) as taken,
      (select count(*)::int from ladder_follow_ups f where f.step_id = s.id) as follow_ups,
      (select count(*)::int from signatures g where g.campaign_id = s.campaign_id and not g.held)
        as supporters
    from ladder_steps s left join campaigns t on t.id = s.target_campaign_id
    where s.campaign_id = ${campaignId}
    order by s.position`
}
