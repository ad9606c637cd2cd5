import type { Sql } from '../client'
import type { TargetConfig } from './campaigns'
import type { Channel, DeliveryStatus, Evidence } from './deliveries'

// Petition delivery (migration 0091, docs/decisions/0901-petition-delivery.md): rounds, the
// signatures each carried, and one delivery per (round, office) that moves through the same
// statuses as a letter's, each transition with an event and its evidence.

export type PetitionChannel = Extract<Channel, 'email' | 'packet'>
export type Audience = 'state' | 'district' | 'everyone'

export type PetitionForDelivery = {
  id: string
  slug: string
  kind: 'petition' | 'letter'
  status: string
  targetConfig: TargetConfig
}

/** The petition, locked so that two rounds of one campaign never run at once. */
export async function lockPetitionForDelivery(
  sql: Sql,
  campaignId: string,
): Promise<PetitionForDelivery | undefined> {
  const [row] = await sql<PetitionForDelivery[]>`
    select id, slug, kind, status, target_config from campaigns
    where id = ${campaignId} for update`
  return row
}

export async function insertRound(
  sql: Sql,
  round: {
    campaignId: string
    reason: 'now' | 'milestone'
    milestone: number | null
    createdBy: string | null
  },
): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into petition_deliveries (campaign_id, reason, milestone, created_by)
    values (${round.campaignId}, ${round.reason}, ${round.milestone}, ${round.createdBy}::uuid)
    returning id`
  return row!.id
}

export type RoundCoverage = {
  signatureCount: number
  totalDelivered: number
  firstSignedAt: Date | null
  lastSignedAt: Date | null
}

/**
 * Gives the round every confirmed, unheld signature of the campaign that no earlier round
 * carried, and records its counts and date range.
 */
export async function assignRoundSignatures(
  sql: Sql,
  roundId: string,
  campaignId: string,
): Promise<RoundCoverage> {
  const [row] = await sql<RoundCoverage[]>`
    with assigned as (
      insert into petition_delivery_signatures (signature_id, round_id)
      select s.id, ${roundId}::uuid from signatures s
      where s.campaign_id = ${campaignId} and s.confirmed_at is not null and not s.held
        and not exists (select 1 from petition_delivery_signatures x where x.signature_id = s.id)
      order by s.id
      on conflict (signature_id) do nothing
      returning signature_id
    ), range as (
      select count(*)::int as n, min(s.created_at) as first, max(s.created_at) as last
      from assigned a join signatures s on s.id = a.signature_id
    )
    update petition_deliveries r
    set signature_count = range.n, first_signed_at = range.first, last_signed_at = range.last,
        total_delivered = range.n + coalesce((
          select sum(p.signature_count) from petition_deliveries p
          where p.campaign_id = ${campaignId} and p.id <> ${roundId}::uuid), 0)
    from range where r.id = ${roundId}::uuid
    returning r.signature_count, r.total_delivered, r.first_signed_at, r.last_signed_at`
  return row!
}

/** The round's signers by place: the constituents of each state and district. */
export async function countRoundPlaces(
  sql: Sql,
  roundId: string,
): Promise<Array<{ state: string; district: string | null; n: number }>> {
  return sql<Array<{ state: string; district: string | null; n: number }>>`
    select s.state, s.congressional_district as district, count(*)::int as n
    from petition_delivery_signatures x join signatures s on s.id = x.signature_id
    where x.round_id = ${roundId} and s.state is not null
    group by 1, 2`
}

export type NewPetitionOfficeDelivery = {
  roundId: string
  officeKey: string
  officeName: string
  officeTitle: string
  chamber: string | null
  state: string | null
  district: string | null
  email: string | null
  audience: Audience
  constituents: number | null
  listed: number
  channel: PetitionChannel
  messageId: string
}

export async function insertPetitionOfficeDeliveries(
  sql: Sql,
  rows: NewPetitionOfficeDelivery[],
): Promise<Array<{ id: number; officeKey: string; channel: PetitionChannel }>> {
  if (rows.length === 0) return []
  return sql<Array<{ id: number; officeKey: string; channel: PetitionChannel }>>`
    with inserted as (
      insert into petition_office_deliveries ${sql(rows)}
      returning id, office_key, channel
    ), events as (
      insert into petition_office_delivery_events (delivery_id, from_status, to_status, evidence)
      select id, null, 'queued', jsonb_build_object('channel', channel) from inserted
    )
    select * from inserted order by id`
}

// ---------------------------------------------------------------------------------------------
// What an office receives

export type PetitionOfficeDelivery = {
  id: number
  roundId: string
  campaignId: string
  campaignSlug: string
  officeKey: string
  officeName: string
  officeTitle: string
  chamber: string | null
  state: string | null
  district: string | null
  email: string | null
  audience: Audience
  constituents: number | null
  listed: number
  channel: PetitionChannel
  status: DeliveryStatus
  attempts: number
  messageId: string
  evidence: Evidence
  lastError: string | null
  createdAt: Date
  finishedAt: Date | null
  roundNumber: number
  roundSignatures: number
  totalDelivered: number
  firstSignedAt: Date | null
  lastSignedAt: Date | null
  previousRoundAt: Date | null
}

const officeDeliveryColumns = (sql: Sql) => sql`
  d.id, d.round_id, r.campaign_id, c.slug as campaign_slug, d.office_key, d.office_name,
  d.office_title, d.chamber, d.state, d.district, d.email, d.audience, d.constituents, d.listed,
  d.channel, d.status, d.attempts, d.message_id, d.evidence, d.last_error, d.created_at,
  d.finished_at,
  (select count(*)::int from petition_deliveries p
    where p.campaign_id = r.campaign_id and p.created_at <= r.created_at) as round_number,
  r.signature_count as round_signatures, r.total_delivered, r.first_signed_at, r.last_signed_at,
  (select max(p.created_at) from petition_deliveries p
    where p.campaign_id = r.campaign_id and p.created_at < r.created_at) as previous_round_at`

export async function findPetitionOfficeDelivery(
  sql: Sql,
  id: number,
): Promise<PetitionOfficeDelivery | undefined> {
  const [row] = await sql<PetitionOfficeDelivery[]>`
    select ${officeDeliveryColumns(sql)}
    from petition_office_deliveries d
    join petition_deliveries r on r.id = d.round_id
    join campaigns c on c.id = r.campaign_id
    where d.id = ${id}`
  return row
}

/** The campaign's copy an office reads: English when the campaign has it, else its default. */
export async function getPetitionCopyForOffices(sql: Sql, campaignId: string, locale: string) {
  const [row] = await sql<{ headline: string; ask: string; summary: string }[]>`
    select cc.headline, cc.ask, cc.summary
    from campaigns c
    cross join lateral (
      select * from campaign_copy
      where campaign_id = c.id and locale in (${locale}, c.default_locale)
      order by (locale = ${locale}) desc limit 1
    ) cc
    where c.id = ${campaignId}`
  return row
}

export type PetitionSigner = {
  firstName: string | null
  lastName: string | null
  city: string | null
  zip: string | null
  comment: string | null
  signedAt: Date
}

/**
 * The signers an office's list names: the round's signatures in its audience, never email or
 * street. Anonymous and erased signers are counted (`unnamed`), never named.
 */
export async function listPetitionOfficeSigners(
  sql: Sql,
  deliveryId: number,
): Promise<{ named: PetitionSigner[]; unnamed: number }> {
  const rows = await sql<Array<PetitionSigner & { named: boolean }>>`
    select (not s.anonymous and s.erased_at is null and p.erased_at is null) as named,
      p.first_name, p.last_name, s.city, p.zip, s.comment, s.created_at as signed_at
    from petition_office_deliveries d
    join petition_delivery_signatures x on x.round_id = d.round_id
    join signatures s on s.id = x.signature_id
    join supporters p on p.id = s.supporter_id
    where d.id = ${deliveryId}
      and (d.audience = 'everyone'
        or (s.state = d.state and (d.audience = 'state' or s.congressional_district = d.district)))
    order by p.zip nulls last, p.last_name, p.first_name, s.id`
  const named = rows.filter((r) => r.named).map(({ named: _named, ...signer }) => signer)
  return { named, unnamed: rows.length - named.length }
}

// ---------------------------------------------------------------------------------------------
// The engine's statements (the same state machine as db/queries/deliveries.ts)

/** Packet rows go straight to awaiting_hand_delivery. Returns the rounds touched. */
export async function movePetitionPacketsToAwaiting(sql: Sql, batchSize: number) {
  const rows = await sql<{ roundId: string }[]>`
    with due as (
      select id from petition_office_deliveries
      where channel = 'packet' and status = 'queued'
      order by id for update skip locked limit ${batchSize}
    ), moved as (
      update petition_office_deliveries d
      set status = 'awaiting_hand_delivery', finished_at = now(), updated_at = now(),
          evidence = jsonb_build_object('reason', 'noElectronicChannel')
      from due where d.id = due.id
      returning d.id, d.round_id
    ), events as (
      insert into petition_office_delivery_events (delivery_id, from_status, to_status, evidence)
      select id, 'queued', 'awaiting_hand_delivery',
        jsonb_build_object('reason', 'noElectronicChannel')
      from moved
    )
    select distinct round_id from moved`
  return rows.map((r) => r.roundId)
}

/** Email rows held while no SMTP server was configured become due again. */
export async function releaseHeldPetitionEmails(sql: Sql): Promise<number> {
  const rows = await sql`
    update petition_office_deliveries set next_attempt_at = now(), updated_at = now()
    where status = 'queued' and channel = 'email' and next_attempt_at = 'infinity'
    returning id`
  return rows.length
}

/** Due email rows move to `sending` under this worker's lease (an expired lease is due again). */
export async function claimDuePetitionEmails(
  sql: Sql,
  {
    workerId,
    batchSize,
    leaseSeconds,
  }: { workerId: string; batchSize: number; leaseSeconds: number },
): Promise<PetitionOfficeDelivery[]> {
  // The outer select reads the table as it was before this statement's update: the attempt
  // number and status come from `claimed`.
  const rows = await sql<Array<PetitionOfficeDelivery & { claimedAttempts: number }>>`
    with due as (
      select id, status as previous_status from petition_office_deliveries
      where channel = 'email'
        and ((status = 'queued' and next_attempt_at <= now())
          or (status = 'sending' and locked_at < now() - make_interval(secs => ${leaseSeconds})))
      order by next_attempt_at, id
      for update skip locked
      limit ${batchSize}
    ), claimed as (
      update petition_office_deliveries d
      set status = 'sending', locked_by = ${workerId}, locked_at = now(),
          attempts = d.attempts + 1, updated_at = now()
      from due where d.id = due.id
      returning d.id, d.attempts, d.channel, due.previous_status
    ), events as (
      insert into petition_office_delivery_events (delivery_id, from_status, to_status, attempt, evidence)
      select id, previous_status, 'sending', attempts,
        jsonb_build_object('workerId', ${workerId}::text, 'channel', channel,
                           'leaseExpired', previous_status = 'sending')
      from claimed
    )
    select ${officeDeliveryColumns(sql)}, k.attempts as claimed_attempts
    from claimed k
    join petition_office_deliveries d on d.id = k.id
    join petition_deliveries r on r.id = d.round_id
    join campaigns c on c.id = r.campaign_id
    order by d.id`
  return rows.map(({ claimedAttempts, ...row }) => ({
    ...row,
    attempts: claimedAttempts,
    status: 'sending' as const,
  }))
}

export type FinishPetitionDelivery = {
  id: number
  attempt: number
  status: Exclude<DeliveryStatus, 'sending'>
  channel: PetitionChannel
  evidence: Evidence
  lastError: string | null
  retryIn?: number | 'hold'
}

const FINAL: DeliveryStatus[] = ['delivered', 'failed', 'awaiting_hand_delivery', 'cancelled']

/** Records outcomes, each only while this worker still holds the row's lease. Returns rounds. */
export async function finishPetitionDeliveries(
  sql: Sql,
  workerId: string,
  outcomes: FinishPetitionDelivery[],
): Promise<string[]> {
  if (outcomes.length === 0) return []
  const rows = outcomes.map((f) => ({
    id: f.id,
    attempt: f.attempt,
    status: f.status,
    channel: f.channel,
    evidence: f.evidence,
    last_error: f.lastError,
    final: FINAL.includes(f.status),
    hold: f.retryIn === 'hold',
    retry_seconds: typeof f.retryIn === 'number' ? f.retryIn : 0,
  }))
  const done = await sql<{ roundId: string }[]>`
    with v as (
      select * from jsonb_to_recordset(${sql.json(rows as never)}) as v(
        id bigint, attempt integer, status text, channel text, evidence jsonb, last_error text,
        final boolean, hold boolean, retry_seconds double precision)
    ), done as (
      update petition_office_deliveries d
      set status = v.status, channel = v.channel, evidence = v.evidence,
          last_error = v.last_error, locked_by = null, locked_at = null, updated_at = now(),
          finished_at = case when v.final then now() end,
          next_attempt_at = case when v.hold then 'infinity'::timestamptz
                                 else now() + make_interval(secs => v.retry_seconds) end
      from v
      where d.id = v.id and d.status = 'sending' and d.locked_by = ${workerId}
        and d.attempts = v.attempt
      returning d.id, d.round_id, v.status, v.attempt, v.evidence
    ), events as (
      insert into petition_office_delivery_events (delivery_id, from_status, to_status, attempt, evidence)
      select id, 'sending', status, attempt, evidence from done order by id
    )
    select distinct round_id from done`
  return done.map((r) => r.roundId)
}

/**
 * An organizer handed the packet over: awaiting_hand_delivery → delivered, with who and when as
 * evidence. Returns the round, or null when the row is not awaiting hand delivery.
 */
export async function markPetitionPacketDelivered(
  sql: Sql,
  {
    deliveryId,
    organizerId,
    note,
  }: { deliveryId: number; organizerId: string | null; note: string | null },
): Promise<string | null> {
  const evidence = sql.json({ channel: 'packet', markedBy: organizerId, note })
  const [row] = await sql<{ roundId: string }[]>`
    with done as (
      update petition_office_deliveries
      set status = 'delivered', evidence = ${evidence}, finished_at = now(), updated_at = now()
      where id = ${deliveryId} and status = 'awaiting_hand_delivery'
      returning id, round_id
    ), events as (
      insert into petition_office_delivery_events (delivery_id, from_status, to_status, evidence)
      select id, 'awaiting_hand_delivery', 'delivered', ${evidence} from done
    )
    select round_id from done`
  return row?.roundId ?? null
}

export async function listPetitionDeliveryEvents(sql: Sql, deliveryId: number) {
  return sql<
    Array<{
      fromStatus: DeliveryStatus | null
      toStatus: DeliveryStatus
      attempt: number | null
      evidence: Evidence
      createdAt: Date
    }>
  >`
    select from_status, to_status, attempt, evidence, created_at
    from petition_office_delivery_events where delivery_id = ${deliveryId} order by id`
}

// ---------------------------------------------------------------------------------------------
// The signers' update: one per round, once no office of it is still waiting

export type RoundUpdate = {
  roundId: string
  campaignId: string
  slug: string
  signatureCount: number
  totalDelivered: number
  delivered: number
  deliveredAt: Date
}

/**
 * Claims the round's update when every office has its outcome and at least one got it; the
 * caller queues the email in the same transaction. Undefined when not (yet) due.
 */
export async function claimRoundUpdate(
  sql: Sql,
  roundId: string,
): Promise<RoundUpdate | undefined> {
  const [row] = await sql<RoundUpdate[]>`
    with stats as (
      select count(*) filter (where status = 'delivered')::int as delivered,
        count(*) filter (where status in ('queued', 'sending', 'awaiting_hand_delivery'))::int as pending,
        max(finished_at) filter (where status = 'delivered') as delivered_at
      from petition_office_deliveries where round_id = ${roundId}
    )
    update petition_deliveries r set update_queued_at = now()
    from stats, campaigns c
    where r.id = ${roundId} and r.update_queued_at is null and stats.pending = 0
      and stats.delivered > 0 and c.id = r.campaign_id
    returning r.id as round_id, r.campaign_id, c.slug, r.signature_count, r.total_delivered,
      stats.delivered, stats.delivered_at`
  return row
}

// ---------------------------------------------------------------------------------------------
// The organizer's page

export type RoundView = {
  id: string
  reason: 'now' | 'milestone'
  milestone: number | null
  createdAt: Date
  signatureCount: number
  totalDelivered: number
  firstSignedAt: Date | null
  lastSignedAt: Date | null
  updateQueuedAt: Date | null
  offices: Array<{
    id: number
    officeName: string
    officeTitle: string
    audience: Audience
    constituents: number | null
    listed: number
    channel: PetitionChannel
    status: DeliveryStatus
    lastError: string | null
    finishedAt: Date | null
  }>
}

export async function listRounds(sql: Sql, campaignId: string): Promise<RoundView[]> {
  return sql<RoundView[]>`
    select r.id, r.reason, r.milestone, r.created_at, r.signature_count, r.total_delivered,
      r.first_signed_at, r.last_signed_at, r.update_queued_at,
      coalesce((
        select jsonb_agg(jsonb_build_object(
          'id', d.id, 'officeName', d.office_name, 'officeTitle', d.office_title,
          'audience', d.audience, 'constituents', d.constituents, 'listed', d.listed,
          'channel', d.channel, 'status', d.status, 'lastError', d.last_error,
          'finishedAt', d.finished_at)
          order by case d.chamber when 'senate' then 0 when 'house' then 1 else 2 end,
            d.state, d.district, d.office_name)
        from petition_office_deliveries d where d.round_id = r.id), '[]'::jsonb) as offices
    from petition_deliveries r where r.campaign_id = ${campaignId}
    order by r.created_at desc
    limit 50`
}

/** Confirmed, unheld signatures no round has carried yet, and the confirmed count. */
export async function countUndelivered(sql: Sql, campaignId: string) {
  const [row] = await sql<{ undelivered: number; confirmed: number }[]>`
    select
      (select count(*)::int from signatures s
        where s.campaign_id = ${campaignId} and s.confirmed_at is not null and not s.held
          and not exists (select 1 from petition_delivery_signatures x where x.signature_id = s.id)
      ) as undelivered,
      (select coalesce(sum(confirmed), 0)::int from signature_counts
        where campaign_id = ${campaignId}) as confirmed`
  return row!
}

export type Milestone = { threshold: number; reachedAt: Date | null }

export async function listMilestones(sql: Sql, campaignId: string): Promise<Milestone[]> {
  return sql<Milestone[]>`
    select threshold, reached_at from petition_milestones
    where campaign_id = ${campaignId} order by threshold`
}

/** The milestones not yet reached become exactly `thresholds`; reached ones stay as history. */
export async function replaceMilestones(sql: Sql, campaignId: string, thresholds: number[]) {
  await sql`
    delete from petition_milestones
    where campaign_id = ${campaignId} and reached_at is null
      and not (threshold = any(${thresholds}::int[]))`
  if (thresholds.length === 0) return
  await sql`
    insert into petition_milestones (campaign_id, threshold)
    select ${campaignId}, t from unnest(${thresholds}::int[]) as t
    on conflict (campaign_id, threshold) do nothing`
}

/** Petitions whose confirmed count has reached a milestone not yet delivered for. */
export async function listReachedMilestones(sql: Sql) {
  return sql<Array<{ campaignId: string; threshold: number }>>`
    select m.campaign_id, max(m.threshold)::int as threshold
    from petition_milestones m
    join campaigns c on c.id = m.campaign_id and c.kind = 'petition' and c.status <> 'draft'
    where m.reached_at is null
      and m.threshold <= (select coalesce(sum(n.confirmed), 0) from signature_counts n
                          where n.campaign_id = m.campaign_id)
    group by m.campaign_id`
}

export async function markMilestonesReached(
  sql: Sql,
  campaignId: string,
  upTo: number,
  roundId: string | null,
) {
  await sql`
    update petition_milestones set reached_at = now(), round_id = ${roundId}::uuid
    where campaign_id = ${campaignId} and reached_at is null and threshold <= ${upTo}`
}

// ---------------------------------------------------------------------------------------------
// The public page

export type PublicDeliverySummary = { offices: number; lastDeliveredAt: Date }

/** "Delivered to N offices on DATE": distinct offices any round reached, and the latest date. */
export async function getPublicDeliverySummary(
  sql: Sql,
  slug: string,
): Promise<PublicDeliverySummary | null> {
  const [row] = await sql<Array<{ offices: number; lastDeliveredAt: Date | null }>>`
    select count(distinct d.office_key)::int as offices, max(d.finished_at) as last_delivered_at
    from petition_office_deliveries d
    join petition_deliveries r on r.id = d.round_id
    where r.campaign_id = (select id from campaigns where slug = ${slug})
      and d.status = 'delivered'`
  return row && row.offices > 0 && row.lastDeliveredAt
    ? { offices: row.offices, lastDeliveredAt: row.lastDeliveredAt }
    : null
}

/** Seated House and Senate offices of these states ('MT') and House seats ('MT-1'). */
export async function selectSeatedOfficeIds(
  sql: Sql,
  { senateStates, houseSeats }: { senateStates: string[]; houseSeats: string[] },
): Promise<string[]> {
  if (senateStates.length === 0 && houseSeats.length === 0) return []
  const rows = await sql<{ id: string }[]>`
    select id from offices
    where holder_id is not null
      and ((chamber = 'senate' and state = any(${senateStates}::text[]))
        or (chamber = 'house' and state || '-' || district = any(${houseSeats}::text[])))
    order by id`
  return rows.map((r) => r.id)
}

export async function findCampaignHeader(sql: Sql, id: string) {
  const [row] = await sql<{ id: string; slug: string; kind: 'petition' | 'letter' }[]>`
    select id, slug, kind from campaigns where id = ${id}`
  return row
}
