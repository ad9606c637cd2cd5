import '#tests/setup/app-env'
import { expect, test } from 'vitest'
import { getSql } from '#db/client'
import { createPacket, packetCsv, packetHtml } from '#app/delivery/packets.server'
// Aliased: the react-hooks lint rule reads any top-level use*() call as a hook.
import { useAppDatabase as appDatabase } from '#tests/setup/db'

appDatabase()

function parseCsv(text: string): string[][] {
  // simple: this test's data has no embedded newlines
  return text
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\n')
    .map((line) =>
      [...line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)]
        .map((m) => m[1])
        .slice(0, -1)
        .map((cell) => (cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell)),
    )
}

// Supporter-written text must never become a formula in a spreadsheet, nor markup in a page.
const EVIL = {
  firstName: '=HYPERLINK("http://evil.example","click")',
  lastName: '+1',
  street: '-1',
  city: '@x',
  subject: '=2+5+cmd|calc!A0',
  body: '<script>alert(1)</script><img src=x onerror=alert(2)>',
}

test('delivery packet CSV escapes formula cells and the printable packet escapes markup', async () => {
  const sql = getSql()
  const [campaign] = await sql<{ id: string }[]>`
    select id from campaigns where slug = 'write-congress-red-notices'`
  const [supporter] = await sql<{ id: string }[]>`
    insert into supporters (email, first_name, last_name) values ('evil@example.org', 'E', 'V')
    returning id`
  const [letter] = await sql<{ id: string }[]>`
    insert into letters ${sql({
      campaignId: campaign.id,
      supporterId: supporter.id,
      statusTokenHash: Buffer.from('output-safety-token'),
      firstName: EVIL.firstName,
      lastName: EVIL.lastName,
      email: 'evil@example.org',
      street: EVIL.street,
      city: EVIL.city,
      state: 'CA',
      zip: '94110',
      subject: EVIL.subject,
      body: EVIL.body,
    })} returning id`
  await sql`
    insert into deliveries ${sql({
      letterId: letter.id,
      officeKey: 'custom/output-safety',
      officeName: 'Test Office',
      officeTitle: 'Office of',
      channel: 'packet',
      status: 'awaiting_hand_delivery',
      // the text as delivered to this office (merge fields filled in)
      subject: EVIL.subject,
      body: EVIL.body,
    })}`
  const packet = await createPacket('custom/output-safety', null)
  expect(packet).not.toBeNull()

  const csv = (await packetCsv(packet!.id))!
  const [header, row] = parseCsv(csv)
  const cell = (name: string) => row[header.indexOf(name)]
  expect(cell('first_name')).toBe(`'${EVIL.firstName}`)
  expect(cell('last_name')).toBe("'+1")
  expect(cell('street')).toBe("'-1")
  expect(cell('city')).toBe("'@x")
  expect(cell('subject')).toBe(`'${EVIL.subject}`)
  expect(cell('zip')).toBe('94110')
  for (const value of row) expect(value).not.toMatch(/^[=+\-@\t\r]/)

  const html = (await packetHtml(packet!.id))!
  expect(html).not.toContain('<script>alert(1)')
  expect(html).not.toContain('<img src=x')
  expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
})
