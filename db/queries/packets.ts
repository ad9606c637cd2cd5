import type { Sql } from '../client'

export type PacketOffice = {
  officeKey: string
  officeName: string
  officeTitle: string
  waiting: number
  oldest: Date
}

/** Offices with letters awaiting hand delivery that are not yet in a packet. */
export async function listOfficesAwaitingPacket(
  sql: Sql,
  titles: ChamberTitles,
): Promise<PacketOffice[]> {
  return sql<PacketOffice[]>`
    select office_key,
      (array_agg(office_name order by created_at desc, id desc))[1] as office_name,
      coalesce(${sql.json(titles)}::jsonb ->> min(chamber),
               (array_agg(office_title order by created_at desc, id desc))[1]) as office_title,
      count(*)::int as waiting, min(created_at) as oldest
    from deliveries
    where status = 'awaiting_hand_delivery' and packet_id is null
    group by office_key
    order by min(created_at)`
}

/**
 * A packet goes to the office itself, so its cover uses the office's own title (in the packet's
 * language) rather than the one each letter stored in its writer's language; named officials
 * (no chamber) keep the title the organizers typed. The seat's latest holder names it.
 */
export type ChamberTitles = Record<string, string>

export type Packet = {
  id: string
  officeKey: string
  officeName: string
  officeTitle: string
  letterCount: number
  createdAt: Date
  deliveredAt: Date | null
  deliveryNote: string | null
}

/** Puts every waiting letter for the office into a new packet. Null when none is waiting. */
export async function insertPacketForOffice(
  sql: Sql,
  officeKey: string,
  organizerId: string | null,
  titles: ChamberTitles,
): Promise<Packet | null> {
  const [packet] = await sql<Packet[]>`
    with waiting as (
      select id, office_name, office_title, chamber, created_at from deliveries
      where office_key = ${officeKey} and status = 'awaiting_hand_delivery' and packet_id is null
      for update skip locked
    ), packet as (
      insert into delivery_packets (office_key, office_name, office_title, letter_count, created_by)
      select ${officeKey},
        (array_agg(office_name order by created_at desc, id desc))[1],
        coalesce(${sql.json(titles)}::jsonb ->> min(chamber),
                 (array_agg(office_title order by created_at desc, id desc))[1]),
        count(*), ${organizerId}::uuid
      from waiting having count(*) > 0
      returning *
    ), assigned as (
      update deliveries d set packet_id = packet.id, updated_at = now()
      from packet, waiting where d.id = waiting.id
      returning d.id, packet.id as packet_id
    ), events as (
      insert into delivery_events (delivery_id, from_status, to_status, evidence)
      select id, 'awaiting_hand_delivery', 'awaiting_hand_delivery',
        jsonb_build_object('packetId', packet_id, 'action', 'addedToPacket')
      from assigned
    )
    select id, office_key, office_name, office_title, letter_count, created_at, delivered_at,
      delivery_note
    from packet`
  return packet ?? null
}

export async function findPacket(sql: Sql, id: string): Promise<Packet | undefined> {
  const [row] = await sql<Packet[]>`
    select id, office_key, office_name, office_title, letter_count, created_at, delivered_at,
      delivery_note
    from delivery_packets where id = ${id}`
  return row
}

export async function listOpenPackets(sql: Sql): Promise<Packet[]> {
  return sql<Packet[]>`
    select id, office_key, office_name, office_title, letter_count, created_at, delivered_at,
      delivery_note
    from delivery_packets where delivered_at is null order by created_at`
}

export type PacketLetter = {
  deliveryId: number
  prefix: string | null
  firstName: string | null
  lastName: string | null
  email: string | null
  street: string | null
  city: string | null
  state: string | null
  zip: string | null
  subject: string | null
  body: string | null
  createdAt: Date
}

export async function listPacketLetters(sql: Sql, packetId: string): Promise<PacketLetter[]> {
  return sql<PacketLetter[]>`
    select d.id as delivery_id, l.prefix, l.first_name, l.last_name, l.email, l.street, l.city,
      l.state, l.zip, d.subject, d.body, l.created_at
    from deliveries d join letters l on l.id = d.letter_id
    where d.packet_id = ${packetId} and d.status <> 'cancelled'
    order by l.zip, l.last_name, d.id`
}

/**
 * Marks the packet delivered and moves its letters to `delivered` with the packet as evidence.
 * Returns the letters touched, or null when the packet is unknown or already delivered.
 */
export async function markPacketDelivered(
  sql: Sql,
  {
    packetId,
    organizerId,
    note,
  }: { packetId: string; organizerId: string | null; note: string | null },
): Promise<string[] | null> {
  const [packet] = await sql<{ id: string }[]>`
    update delivery_packets
    set delivered_at = now(), delivered_by = ${organizerId}::uuid, delivery_note = ${note}
    where id = ${packetId} and delivered_at is null
    returning id`
  if (!packet) return null
  const evidence = sql.json({ channel: 'packet', packetId, markedBy: organizerId, note })
  const rows = await sql<{ letterId: string }[]>`
    with done as (
      update deliveries
      set status = 'delivered', evidence = ${evidence}, finished_at = now(), updated_at = now()
      where packet_id = ${packetId} and status = 'awaiting_hand_delivery'
      returning id, letter_id
    ), events as (
      insert into delivery_events (delivery_id, from_status, to_status, evidence)
      select id, 'awaiting_hand_delivery', 'delivered', ${evidence} from done
    )
    select distinct letter_id from done`
  return rows.map((r) => r.letterId)
}

export type HandDeliveredLetter = {
  letterId: string
  supporterId: string
  email: string
  firstName: string | null
  locale: string
}

/**
 * Of these letters, those whose receipt already went out (it said "awaiting hand delivery") and
 * whose writer can still be written to: they get a short update when the packet is delivered.
 */
export async function listLettersWithReceiptSent(
  sql: Sql,
  letterIds: string[],
): Promise<HandDeliveredLetter[]> {
  if (letterIds.length === 0) return []
  return sql<HandDeliveredLetter[]>`
    select l.id as letter_id, l.supporter_id, l.email, l.first_name, l.locale
    from letters l
    where l.id = any(${letterIds}::uuid[]) and l.receipt_sent_at is not null
      and l.erased_at is null and l.email is not null
    order by l.id`
}
