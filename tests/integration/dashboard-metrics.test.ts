import '#tests/setup/app-env'
import { randomBytes } from 'node:crypto'
import { beforeAll, expect, test } from 'vitest'
import { getSql } from '#db/client'
import { loader as dashboardLoader } from '#app/routes/admin._index'
// Aliased: the react-hooks lint rule reads any top-level use*() call as a hook.
import { useAppDatabase as appDatabase } from '#tests/setup/db'
import { contextFor, signedInOrganizer } from '#tests/setup/organizers'

appDatabase()

let cookie = ''
let petitionId = ''

function utcDay(daysAgo: number) {
  const d = new Date()
  d.setUTCDate(d.getUTCDate() - daysAgo)
  return d.toISOString().slice(0, 10)
}

beforeAll(async () => {
  cookie = (await signedInOrganizer('viewer')).cookie
  const sql = getSql()
  const [c] = await sql`select id from campaigns where slug = 'stop-red-notice-detentions'`
  petitionId = c.id
  // today: 2 confirmed + 1 unconfirmed + 1 held (not counted); 3 days ago: 1 unconfirmed;
  // 20 days ago: 1 confirmed (outside the 14-day table, inside the totals)
  const rows: Array<[number, boolean, boolean]> = [
    [0, true, false],
    [0, true, false],
    [0, false, false],
    [0, true, true],
    [3, false, false],
    [20, true, false],
  ]
  for (const [i, [daysAgo, confirmed, held]] of rows.entries()) {
    const [p] =
      await sql`insert into supporters (email) values (${`m${i}@example.org`}) returning id`
    await sql`
      insert into signatures ${sql({
        campaignId: petitionId,
        supporterId: p.id,
        refCode: randomBytes(6).toString('hex'),
        held,
        createdAt: new Date(Date.now() - daysAgo * 86_400_000),
        confirmedAt: confirmed ? new Date() : null,
      })}`
  }
})

test('the dashboard counts confirmed and unconfirmed per campaign and per day, leaving out held signatures', async () => {
  const data = await dashboardLoader({
    request: new Request('http://localhost/admin', { headers: { Cookie: cookie } }),
    context: contextFor(),
    params: {},
  })
  expect(data.campaigns.find((c) => c.id === petitionId)).toMatchObject({
    confirmed: 3,
    unconfirmed: 2,
  })
  expect(data.perDay).toHaveLength(14)
  expect(data.perDay[13]).toEqual({ day: utcDay(0), confirmed: 2, unconfirmed: 1 })
  expect(data.perDay[10]).toEqual({ day: utcDay(3), confirmed: 0, unconfirmed: 1 })
  expect(data.perDay.reduce((n, d) => n + d.confirmed + d.unconfirmed, 0)).toBe(4)
})
