import { stringify } from 'csv-stringify/sync'
import { escapeCell } from '#app/exports/csv.server'
import { getSql } from '#db/client'
import {
  findPacket,
  insertPacketForOffice,
  listLettersWithReceiptSent,
  listOfficesAwaitingPacket,
  listOpenPackets,
  listPacketLetters,
  markPacketDelivered,
  type ChamberTitles,
  type Packet,
} from '#db/queries/packets'
import {
  findReaddressContexts,
  listStaleWaitingForPacket,
  readdressWaitingDelivery,
} from '#db/queries/deliveries'
import { getServerT } from '#app/i18n/i18n.server'
import { sendHandDeliveredUpdates, sendReceiptsFor } from './receipts.server'
import { officeLabel, readdressedFor } from './addressing.server'

// The print/fax channel: letters to offices no electronic channel reaches are batched into a
// packet per office; an organizer prints (or faxes) it, hands it over, and marks it delivered.

/** Packets are printed in English for U.S. offices: each chamber's title, in English. */
function chamberTitles(): ChamberTitles {
  const t = getServerT('en')
  return Object.fromEntries(
    ['house', 'senate', 'state_upper', 'state_lower'].map((c) => [c, t(`letters:titles.${c}`)]),
  )
}

export async function getPacketsOverview() {
  const sql = getSql()
  const [offices, open] = await Promise.all([
    listOfficesAwaitingPacket(sql, chamberTitles()),
    listOpenPackets(sql),
  ])
  return { offices, open }
}

/**
 * Puts the office's waiting letters into a packet. Letters addressed to someone who has since left
 * the seat are re-addressed and re-rendered for its holder first, like the worker does at send time
 * (ADR 0905); a vacant seat's letters wait for its next holder (null, like an office with none).
 */
export async function createPacket(
  officeKey: string,
  organizerId: string | null,
): Promise<Packet | null> {
  return getSql().begin(async (tx) => {
    const stale = await listStaleWaitingForPacket(tx, officeKey)
    if (stale.some((d) => d.currentHolderId === null)) return null
    const contexts = await findReaddressContexts(
      tx,
      stale.map((d) => Number(d.id)),
    )
    for (const d of stale) {
      const ctx = contexts.get(Number(d.id))
      if (ctx) await readdressWaitingDelivery(tx, readdressedFor(ctx, { ...d, id: Number(d.id) }))
    }
    return insertPacketForOffice(tx, officeKey, organizerId, chamberTitles())
  })
}

/** Marks a packet delivered; its letters become delivered and any receipt now due is sent. */
export async function deliverPacket(input: {
  packetId: string
  organizerId: string | null
  note: string | null
}): Promise<boolean> {
  return getSql().begin(async (tx) => {
    const letters = await markPacketDelivered(tx, input)
    if (!letters) return false
    // Writers whose receipt already went out get a short update; the others' receipts say it.
    await sendHandDeliveredUpdates(
      tx,
      input.packetId,
      await listLettersWithReceiptSent(tx, letters),
    )
    await sendReceiptsFor(tx, letters)
    return true
  })
}

export async function packetCsv(packetId: string): Promise<string | null> {
  const sql = getSql()
  const packet = await findPacket(sql, packetId)
  if (!packet) return null
  const letters = await listPacketLetters(sql, packetId)
  // Supporter-written cells could be read as spreadsheet formulas: escaped like every export.
  return stringify(
    letters.map((l) =>
      Object.fromEntries(
        Object.entries({
          office: `${packet.officeTitle} ${packet.officeName}`,
          prefix: l.prefix,
          first_name: l.firstName,
          last_name: l.lastName,
          email: l.email,
          street: l.street,
          city: l.city,
          state: l.state,
          zip: l.zip,
          subject: l.subject,
          written_at: l.createdAt,
        }).map(([k, v]) => [k, escapeCell(v)]),
      ),
    ),
    { header: true },
  )
}

const escapeHtml = (s: string) =>
  s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')

/** A printable HTML document: one letter per page, with the constituent's address. */
export async function packetHtml(packetId: string): Promise<string | null> {
  const sql = getSql()
  const packet = await findPacket(sql, packetId)
  if (!packet) return null
  const letters = await listPacketLetters(sql, packetId)
  const office = escapeHtml(officeLabel(packet.officeTitle, packet.officeName))
  const pages = letters
    .map((l) => {
      const name = escapeHtml(`${l.prefix ?? ''} ${l.firstName ?? ''} ${l.lastName ?? ''}`.trim())
      const address = [l.street, `${l.city ?? ''}, ${l.state ?? ''} ${l.zip ?? ''}`]
        .map((x) => escapeHtml(x ?? ''))
        .join('<br>')
      const body = (l.body ?? '')
        .split(/\r?\n\s*\r?\n/)
        .map((p) => `<p>${escapeHtml(p).replaceAll('\n', '<br>')}</p>`)
        .join('\n')
      return `<article class="letter">
  <p class="from">${name}<br>${address}<br>${escapeHtml(l.email ?? '')}</p>
  <p class="date">${l.createdAt.toISOString().slice(0, 10)}</p>
  <p class="to">${office}</p>
  <h2>${escapeHtml(l.subject ?? '')}</h2>
  ${body}
</article>`
    })
    .join('\n')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Packet ${packet.id.slice(0, 8)}: ${office}</title>
<style>
  body { font: 12pt/1.5 Georgia, serif; margin: 0 auto; max-width: 7in; padding: 0.5in; }
  .letter { page-break-after: always; break-after: page; }
  .from { text-align: right; } h1 { font-size: 14pt; } h2 { font-size: 13pt; }
</style>
</head>
<body>
<header><h1>Packet ${packet.id.slice(0, 8)}: ${packet.letterCount} letters to ${office}</h1></header>
${pages}
</body>
</html>`
}
