import '#tests/setup/app-env'
import { expect, test } from 'vitest'
import { getSql } from '#db/client'
import { createPacket, getPacketsOverview, packetHtml } from '#app/delivery/packets.server'
// Aliased: the react-hooks lint rule reads any top-level use*() call as a hook.
import { useAppDatabase as appDatabase } from '#tests/setup/db'

appDatabase()

// A packet is handed to a U.S. office: its cover names the office in English, whatever language
// each letter inside was written in, and names the seat's latest holder.
test('a packet names the office in English and by its latest holder, whoever wrote in Spanish', async () => {
  const sql = getSql()
  const [campaign] = await sql<{ id: string }[]>`
    select id from campaigns where slug = 'write-congress-red-notices'`
  const letters = [
    { email: 'es-writer@example.org', title: 'Senador(a)', name: 'Alex Padilla', at: '2026-01-01' },
    { email: 'en-writer@example.org', title: 'Senator', name: 'Adam Schiff', at: '2026-02-01' },
  ]
  for (const l of letters) {
    const [supporter] = await sql<{ id: string }[]>`
      insert into supporters (email) values (${l.email}) returning id`
    const [letter] = await sql<{ id: string }[]>`
      insert into letters ${sql({
        campaignId: campaign!.id,
        supporterId: supporter!.id,
        statusTokenHash: Buffer.from(`packet-${l.email}`),
        firstName: 'Ana',
        lastName: 'Ruiz',
        email: l.email,
        street: '1 Main St',
        city: 'Fresno',
        state: 'CA',
        zip: '93701',
        subject: 'Hello',
        body: 'Please act.',
      })} returning id`
    await sql`
      insert into deliveries ${sql({
        letterId: letter!.id,
        officeKey: 'senate/CA/1',
        officeName: l.name,
        officeTitle: l.title,
        chamber: 'senate',
        channel: 'packet',
        status: 'awaiting_hand_delivery',
        subject: 'Hello',
        body: 'Please act.',
        createdAt: new Date(l.at),
      })}`
  }
  const overview = await getPacketsOverview()
  expect(overview.offices).toEqual([
    expect.objectContaining({
      officeKey: 'senate/CA/1',
      officeTitle: 'Senator',
      officeName: 'Adam Schiff',
      waiting: 2,
    }),
  ])
  const packet = await createPacket('senate/CA/1', null)
  expect(packet).toMatchObject({
    officeTitle: 'Senator',
    officeName: 'Adam Schiff',
    letterCount: 2,
  })
  const html = (await packetHtml(packet!.id))!
  expect(html).toContain('Senator Adam Schiff')
  expect(html).not.toContain('Senador')
})
