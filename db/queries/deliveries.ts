import type { Sql } from '../client'

// The deliveries outbox: one row per (letter, office), claimed with FOR UPDATE SKIP LOCKED.
// Every status change writes a delivery_events row in the same statement.
// See docs/decisions/0300-delivery-engine.md.

export type Channel = 'cwc' | 'email' | 'packet'
export type DeliveryStatus =
  'queued' | 'sending' | 'delivered' | 'failed' | 'awaiting_hand_delivery' | 'cancelled'
export const FINAL_STATUSES: DeliveryStatus[] = [
  'delivered',
  'failed',
  'awaiting_hand_delivery',
  'cancelled',
]
export type Evidence = Record<string, unknown>

export type NewDelivery = {
  letterId: string
  officeKey: string
  officeName: string
  officeTitle: string
  chamber: string | null
  state: string | null
  district: string | null
  cwcCode: string | null
  email: string | null
  channel: Channel
  messageId: string
  subject: string
  body: string
  /** which group's copy it carries (ADR 0904); null in rows written before migration 0095 */
  copyGroup?: 'constituent' | 'officials' | 'thanks' | null
  /** the person addressed (legislators.id); null for named officials */
  holderId?: string | null
}

export async function insertDeliveries(sql: Sql, rows: NewDelivery[]) {
  if (rows.length === 0) return []
  return sql<{ id: number; officeKey: string; channel: Channel }[]>`
    with inserted as (
      insert into deliveries ${sql(rows)}
      returning id, office_key, channel
    ), events as (
      insert into delivery_events (delivery_id, from_status, to_status, evidence)
      select id, null, 'queued', jsonb_build_object('channel', channel) from inserted
    )
    select * from inserted
  `
}

export type ClaimedDelivery = {
  id: number
  letterId: string
  officeKey: string
  officeName: string
  officeTitle: string
  chamber: string | null
  state: string | null
  district: string | null
  cwcCode: string | null
  email: string | null
  channel: Channel
  attempts: number
  messageId: string
  subject: string
  body: string
  createdAt: Date
  previousStatus: DeliveryStatus
  campaignId: string
  prefix: string | null
  firstName: string | null
  lastName: string | null
  constituentEmail: string | null
  street: string | null
  city: string | null
  constituentState: string | null
  zip: string | null
  locale: string
  cwcTopic: string | null
  bill: { congress: number; type: string; number: number; title?: string } | null
  /** which group's copy it carries (ADR 0904) */
  copyGroup: 'constituent' | 'officials' | 'thanks' | null
  /** the person it was addressed to; null for named officials and rows from before 0095 */
  holderId: string | null
  /** the seat's holder now (offices.holder_id), read at claim time: null when vacant (ADR 0905) */
  currentHolderId: string | null
  /** the office is a seat in the roster (not a named official) */
  seatKnown: boolean
}

/**
 * Moves up to `batchSize` due rows to `sending` under this worker's lease and returns them with
 * their letter and campaign. A `sending` row whose lease expired (a crashed worker) is due again.
 */
export async function claimDueDeliveries(
  sql: Sql,
  {
    workerId,
    batchSize,
    leaseSeconds,
    channels,
  }: { workerId: string; batchSize: number; leaseSeconds: number; channels: Channel[] },
): Promise<ClaimedDelivery[]> {
  return sql<ClaimedDelivery[]>`
    with due as (
      select id, status as previous_status from deliveries
      where channel = any(${channels}::text[])
        and ((status = 'queued' and next_attempt_at <= now())
          or (status = 'sending' and locked_at < now() - make_interval(secs => ${leaseSeconds})))
        and not exists (
          -- trust & safety: a held letter waits for an organizer's release (held by its own
          -- state, not through its signature, which review may delete), and a letter of a
          -- campaign that sends only confirmed writers' letters waits for the confirmation
          select 1 from letters l
          where l.id = deliveries.letter_id and (l.held or l.awaiting_confirmation))
      order by next_attempt_at, id
      for update skip locked
      limit ${batchSize}
    ), claimed as (
      update deliveries d
      set status = 'sending', locked_by = ${workerId}, locked_at = now(),
          attempts = d.attempts + 1, updated_at = now()
      from due
      where d.id = due.id
      returning d.id, d.letter_id, d.office_key, d.office_name, d.office_title, d.chamber, d.state,
        d.district, d.cwc_code, d.email, d.channel, d.attempts, d.message_id, d.subject, d.body,
        d.created_at, due.previous_status, d.copy_group, d.holder_id
    ), events as (
      insert into delivery_events (delivery_id, from_status, to_status, attempt, evidence)
      select id, previous_status, 'sending', attempts,
        jsonb_build_object('workerId', ${workerId}::text, 'channel', channel,
                           'leaseExpired', previous_status = 'sending')
      from claimed
    )
    select c.*, l.campaign_id, l.prefix, l.first_name, l.last_name, l.email as constituent_email,
      l.street, l.city, l.state as constituent_state, l.zip, l.locale, cp.cwc_topic, cp.bill,
      o.holder_id as current_holder_id, o.id is not null as seat_known
    from claimed c
    join letters l on l.id = c.letter_id
    join campaigns cp on cp.id = l.campaign_id
    -- the seat's holder now: a letter to an office that changed hands is re-addressed (ADR 0905)
    left join offices o on o.id = c.office_key
  `
}

/** One delivery with everything needed to send it, without claiming it (benchmarks, previews). */
export async function getDeliveryForSending(
  sql: Sql,
  id: number,
): Promise<ClaimedDelivery | undefined> {
  const [row] = await sql<ClaimedDelivery[]>`
    select d.id, d.letter_id, d.office_key, d.office_name, d.office_title, d.chamber, d.state,
      d.district, d.cwc_code, d.email, d.channel, d.attempts, d.message_id, d.subject, d.body,
      d.created_at, d.status as previous_status, d.copy_group, d.holder_id,
      l.campaign_id, l.prefix, l.first_name, l.last_name, l.email as constituent_email,
      l.street, l.city, l.state as constituent_state, l.zip, l.locale, cp.cwc_topic, cp.bill,
      o.holder_id as current_holder_id, o.id is not null as seat_known
    from deliveries d
    join letters l on l.id = d.letter_id
    join campaigns cp on cp.id = l.campaign_id
    left join offices o on o.id = d.office_key
    where d.id = ${id}`
  return row
}

export type FinishDelivery = {
  id: number
  workerId: string
  attempt: number
  status: Exclude<DeliveryStatus, 'sending'>
  channel: Channel
  evidence: Evidence
  lastError: string | null
  /** For status `queued`: seconds until the next attempt, or 'hold' to wait for a release. */
  retryIn?: number | 'hold'
}

/**
 * Records the outcome of an attempt, only while this worker still holds the lease (the fence
 * against a worker whose lease expired). Returns the letter id, or null when the row was not ours.
 */
export async function finishDelivery(sql: Sql, f: FinishDelivery): Promise<string | null> {
  const recorded = await finishDeliveries(sql, f.workerId, [f])
  return recorded.get(String(f.id)) ?? null
}

/**
 * Records many outcomes of this worker's attempts in one statement (the engine's group commit),
 * each fenced like finishDelivery. Returns delivery id (as text) → letter id for the rows that were ours.
 */
export async function finishDeliveries(
  sql: Sql,
  workerId: string,
  outcomes: Omit<FinishDelivery, 'workerId'>[],
): Promise<Map<string, string>> {
  if (outcomes.length === 0) return new Map()
  const rows = outcomes.map((f) => ({
    id: f.id,
    attempt: f.attempt,
    status: f.status,
    channel: f.channel,
    evidence: f.evidence,
    last_error: f.lastError,
    final: FINAL_STATUSES.includes(f.status),
    hold: f.retryIn === 'hold',
    retry_seconds: typeof f.retryIn === 'number' ? f.retryIn : 0,
  }))
  const done = await sql<{ id: string; letterId: string }[]>`
    with v as (
      select * from jsonb_to_recordset(${sql.json(rows as never)}) as v(
        id bigint, attempt integer, status text, channel text, evidence jsonb, last_error text,
        final boolean, hold boolean, retry_seconds double precision)
    ), done as (
      update deliveries d
      set status = v.status, channel = v.channel, evidence = v.evidence,
          last_error = v.last_error, locked_by = null, locked_at = null, updated_at = now(),
          finished_at = case when v.final then now() end,
          next_attempt_at = case when v.hold then 'infinity'::timestamptz
                                 else now() + make_interval(secs => v.retry_seconds) end
      from v
      where d.id = v.id and d.status = 'sending' and d.locked_by = ${workerId}
        and d.attempts = v.attempt
      returning d.id, d.letter_id, v.status, v.attempt, v.evidence
    ), events as (
      insert into delivery_events (delivery_id, from_status, to_status, attempt, evidence)
      select id, 'sending', status, attempt, evidence from done order by id
    )
    select id::text, letter_id from done
  `
  return new Map(done.map((r) => [r.id, r.letterId]))
}

/** Packet-channel rows go straight to awaiting_hand_delivery. Returns the letters touched. */
export async function moveQueuedPacketsToAwaiting(sql: Sql, batchSize: number): Promise<string[]> {
  const rows = await sql<{ letterId: string }[]>`
    with due as (
      select id from deliveries
      where channel = 'packet' and status = 'queued'
        and not exists (
          -- trust & safety: a held letter waits for an organizer's release (held by its own
          -- state, not through its signature, which review may delete), and a letter of a
          -- campaign that sends only confirmed writers' letters waits for the confirmation
          select 1 from letters l
          where l.id = deliveries.letter_id and (l.held or l.awaiting_confirmation))
      order by id
      for update skip locked
      limit ${batchSize}
    ), moved as (
      update deliveries d
      set status = 'awaiting_hand_delivery', finished_at = now(), updated_at = now(),
          evidence = jsonb_build_object('reason', 'noElectronicChannel')
      from due where d.id = due.id
      returning d.id, d.letter_id
    ), events as (
      insert into delivery_events (delivery_id, from_status, to_status, evidence)
      select id, 'queued', 'awaiting_hand_delivery', jsonb_build_object('reason', 'noElectronicChannel')
      from moved
    )
    select letter_id from moved
  `
  return [...new Set(rows.map((r) => r.letterId))]
}

/**
 * Cancels the not-yet-final deliveries of the letters written with a held signature, before
 * review deletes it (run in that transaction). Final: a cancelled delivery is never sent.
 */
export async function cancelDeliveriesOfHeldSignature(
  sql: Sql,
  signatureId: string,
  reason: string,
): Promise<number> {
  const rows = await sql`
    with target as (
      select d.id, d.status from deliveries d
      join letters l on l.id = d.letter_id
      join signatures s on s.id = l.signature_id
      where s.id = ${signatureId} and s.held
        and d.status in ('queued', 'sending')
      for update of d
    ), cancelled as (
      update deliveries d
      set status = 'cancelled', finished_at = now(), updated_at = now(), locked_by = null,
          locked_at = null, evidence = jsonb_build_object('reason', ${reason}::text)
      from target where d.id = target.id
      returning d.id, target.status as from_status
    ), events as (
      insert into delivery_events (delivery_id, from_status, to_status, evidence)
      select id, from_status, 'cancelled', jsonb_build_object('reason', ${reason}::text)
      from cancelled order by id
    )
    select id from cancelled`
  return rows.length
}

/**
 * Deliveries of letters still waiting for their writer's email confirmation `days` after they
 * were created end `cancelled` (reason not_confirmed), each with an event. Returns how many.
 */
export async function cancelUnconfirmedDeliveries(sql: Sql, days: number): Promise<number> {
  const rows = await sql`
    with target as (
      select d.id, d.status from deliveries d
      join letters l on l.id = d.letter_id
      where l.awaiting_confirmation and d.status in ('queued', 'sending')
        and d.created_at < now() - make_interval(days => ${days})
      order by d.id
      for update of d skip locked
      limit 1000
    ), cancelled as (
      update deliveries d
      set status = 'cancelled', finished_at = now(), updated_at = now(), locked_by = null,
          locked_at = null, evidence = jsonb_build_object('reason', 'not_confirmed')
      from target where d.id = target.id
      returning d.id, target.status as from_status
    ), events as (
      insert into delivery_events (delivery_id, from_status, to_status, evidence)
      select id, from_status, 'cancelled', jsonb_build_object('reason', 'not_confirmed')
      from cancelled order by id
    )
    select id from cancelled`
  return rows.length
}

/** Email rows held while no SMTP server was configured become due again. */
export async function releaseHeldEmailDeliveries(sql: Sql): Promise<number> {
  const rows = await sql`
    update deliveries set next_attempt_at = now(), updated_at = now()
    where status = 'queued' and channel = 'email' and next_attempt_at = 'infinity'
    returning id`
  return rows.length
}

export type DeliveryView = {
  id: number
  officeKey: string
  officeName: string
  officeTitle: string
  chamber: string | null
  channel: Channel
  status: DeliveryStatus
  attempts: number
  evidence: Evidence
  lastError: string | null
  packetId: string | null
  messageId: string
  /** null once the letter is erased or its text purged */
  subject: string | null
  body: string | null
  updatedAt: Date
  finishedAt: Date | null
  /** which group's copy it carried (ADR 0904) */
  copyGroup: 'constituent' | 'officials' | 'thanks' | null
}

export async function listDeliveriesForLetter(sql: Sql, letterId: string) {
  return sql<DeliveryView[]>`
    select id, office_key, office_name, office_title, chamber, channel, status, attempts, evidence,
      last_error, packet_id, message_id, subject, body, updated_at, finished_at, copy_group
    from deliveries where letter_id = ${letterId}
    order by case chamber when 'house' then 0 when 'senate' then 1 else 2 end, id
  `
}

export async function listDeliveryEvents(sql: Sql, deliveryId: number) {
  return sql<
    {
      fromStatus: DeliveryStatus | null
      toStatus: DeliveryStatus
      attempt: number | null
      evidence: Evidence
      createdAt: Date
    }[]
  >`
    select from_status, to_status, attempt, evidence, created_at
    from delivery_events where delivery_id = ${deliveryId} order by id`
}

// ---------------------------------------------------------------------------------------------
// Re-addressing (ADR 0905): a delivery whose office changed hands before it was sent goes to the
// seat's holder now. These run only for such rows (rare: after a roster import), never per claim.

/** What re-rendering a delivery for its seat's current holder needs. Undefined when vacant. */
export type ReaddressContext = {
  officeKey: string
  chamber: string
  cwcCode: string | null
  holderId: string
  holderName: string
  holderLastName: string
  holderEmail: string | null
  /** the letter as its writer sent it (merge fields in place); null once purged or erased */
  letterSubject: string | null
  letterBody: string | null
  locale: string
  firstName: string | null
  lastName: string | null
  city: string | null
  state: string | null
  zip: string | null
  /** the campaign's thank-you copy in the letter's language, and its thank-you list */
  thanksSubject: string | null
  thanksBody: string | null
  thanks: string[]
}

export async function findReaddressContexts(
  sql: Sql,
  deliveryIds: number[],
): Promise<Map<number, ReaddressContext>> {
  if (deliveryIds.length === 0) return new Map()
  const rows = await sql<(ReaddressContext & { id: number })[]>`
    select d.id, d.office_key, o.chamber, o.cwc_code, o.holder_id, h.full_name as holder_name,
      h.last_name as holder_last_name, h.email as holder_email,
      l.subject as letter_subject, l.body as letter_body, l.locale, l.first_name, l.last_name,
      l.city, l.state, l.zip,
      coalesce(lc.thanks_subject, dc.thanks_subject) as thanks_subject,
      coalesce(lc.thanks_body, dc.thanks_body) as thanks_body,
      coalesce(array(select jsonb_array_elements_text(cp.target_config -> 'thanks')), '{}') as thanks
    from deliveries d
    join offices o on o.id = d.office_key
    join legislators h on h.id = o.holder_id
    join letters l on l.id = d.letter_id
    join campaigns cp on cp.id = l.campaign_id
    left join campaign_copy lc on lc.campaign_id = cp.id and lc.locale = l.locale
    left join campaign_copy dc on dc.campaign_id = cp.id and dc.locale = cp.default_locale
    where d.id = any(${deliveryIds}::bigint[])`
  return new Map(rows.map(({ id, ...r }) => [Number(id), r]))
}

export type Readdress = {
  id: number
  holderId: string
  officeName: string
  cwcCode: string | null
  email: string | null
  channel: Channel
  copyGroup: 'constituent' | 'officials' | 'thanks'
  subject: string
  body: string
  evidence: Evidence
}

/**
 * Re-addresses a delivery this worker holds (status `sending`, fenced on its lease) and records a
 * delivery event. False when the row is no longer ours.
 */
export async function readdressClaimedDelivery(
  sql: Sql,
  workerId: string,
  attempt: number,
  r: Readdress,
): Promise<boolean> {
  const rows = await sql`
    with done as (
      update deliveries set holder_id = ${r.holderId}, office_name = ${r.officeName},
        cwc_code = ${r.cwcCode}, email = ${r.email}, channel = ${r.channel},
        copy_group = ${r.copyGroup}, subject = ${r.subject}, body = ${r.body}, updated_at = now()
      where id = ${r.id} and status = 'sending' and locked_by = ${workerId} and attempts = ${attempt}
      returning id
    ), events as (
      insert into delivery_events (delivery_id, from_status, to_status, attempt, evidence)
      select id, 'sending', 'sending', ${attempt}, ${sql.json(r.evidence as never)} from done
    )
    select id from done`
  return rows.length > 0
}

/**
 * Letters waiting for hand delivery to this office, not yet in a packet, addressed to someone who
 * no longer holds the seat (or to a seat now vacant: holderId null).
 */
export async function listStaleWaitingForPacket(
  sql: Sql,
  officeKey: string,
): Promise<
  Array<{ id: number; holderId: string; officeName: string; currentHolderId: string | null }>
> {
  return sql`
    select d.id, d.holder_id, d.office_name, o.holder_id as current_holder_id
    from deliveries d join offices o on o.id = d.office_key
    where d.office_key = ${officeKey} and d.status = 'awaiting_hand_delivery'
      and d.packet_id is null and d.holder_id is not null
      and o.holder_id is distinct from d.holder_id
    order by d.id
    for update of d`
}

/** Re-addresses a letter waiting for hand delivery (not yet in a packet), with an event. */
export async function readdressWaitingDelivery(
  sql: Sql,
  r: Omit<Readdress, 'channel'>,
): Promise<boolean> {
  const rows = await sql`
    with done as (
      update deliveries set holder_id = ${r.holderId}, office_name = ${r.officeName},
        cwc_code = ${r.cwcCode}, email = ${r.email}, copy_group = ${r.copyGroup},
        subject = ${r.subject}, body = ${r.body}, updated_at = now()
      where id = ${r.id} and status = 'awaiting_hand_delivery' and packet_id is null
      returning id
    ), events as (
      insert into delivery_events (delivery_id, from_status, to_status, evidence)
      select id, 'awaiting_hand_delivery', 'awaiting_hand_delivery',
        ${sql.json(r.evidence as never)} from done
    )
    select id from done`
  return rows.length > 0
}
