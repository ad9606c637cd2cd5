import { expect, test } from 'vitest'
import {
  openStatesCsvToRecords,
  parseCongress,
  parseCsv,
  parseOpenStates,
  parseZccd,
  senateCwcCode,
} from './records.server'

test('CSV: quoted fields, doubled quotes, CRLF', () => {
  const rows = parseCsv('a,b,c\r\n1,"x, ""y""",3\r\n\r\n4,,6')
  expect(rows).toEqual([
    { a: '1', b: 'x, "y"', c: '3' },
    { a: '4', b: '', c: '6' },
  ])
})

test("Open States' public CSV becomes the same seats as the people YAML", () => {
  const csv = [
    'id,name,current_party,current_district,current_chamber,given_name,family_name,email,image,links,capitol_voice,district_voice,twitter',
    'ocd-person/2a1a6b8f-1f9c-4a1b-9059-7b2f8cc93ed9,Alyse Galvin,Independent,14,lower,Alyse,Galvin,a@akleg.gov,https://x/img.jpg,https://akhouse.org;https://akleg.gov,907-465-3875,,AlyseGalvin',
  ].join('\n')
  const { legislators, offices, bad } = parseOpenStates(
    openStatesCsvToRecords(parseCsv(csv), 'ak'),
    '2026-08-05',
  )
  expect(bad).toEqual([])
  expect(legislators[0]).toMatchObject({
    id: 'ocd-person/2a1a6b8f-1f9c-4a1b-9059-7b2f8cc93ed9',
    fullName: 'Alyse Galvin',
    party: 'Independent',
    phone: '907-465-3875',
    url: 'https://akhouse.org',
    email: 'a@akleg.gov',
  })
  expect(offices.map((o) => [o.id, o.chamber, o.state, o.district])).toEqual([
    [
      'state_lower/AK/14/ocd-person/2a1a6b8f-1f9c-4a1b-9059-7b2f8cc93ed9',
      'state_lower',
      'AK',
      '14',
    ],
  ])
})

test('a role that ended before the snapshot is not a seat; a future end date still is', () => {
  const person = (end: string | undefined) => ({
    id: 'ocd-person/00000000-0000-0000-0000-000000000001',
    name: 'A B',
    roles: [{ type: 'upper', district: '7', end_date: end }],
    _state: 'mn',
  })
  expect(parseOpenStates([person('2026-06-30')], '2026-08-05').offices).toHaveLength(0)
  expect(parseOpenStates([person('2027-01-05')], '2026-08-05').offices).toHaveLength(1)
})

test('roster: the last term is the seat, whatever its end date; bad records are reported', () => {
  const roster = [
    {
      id: { bioguide: 'H001104' },
      name: { first: 'Jon', last: 'Husted' },
      terms: [
        {
          type: 'sen',
          start: '2025-01-21',
          end: '2026-11-03',
          state: 'OH',
          class: 3,
          party: 'Republican',
        },
      ],
    },
    { id: { bioguide: 'X1' }, name: { first: 'No' }, terms: [] },
  ]
  const parsed = parseCongress({ roster: JSON.stringify(roster), sourceDate: '2026-06-15' })
  expect(parsed.offices).toEqual([
    expect.objectContaining({ id: 'senate/OH/3', cwcCode: 'SOH2', holderId: 'H001104' }),
  ])
  expect(parsed.legislators[0].fullName).toBe('Jon Husted')
  expect(parsed.bad).toHaveLength(1)
  expect(senateCwcCode('CA', 1)).toBe('SCA0')
})

test('zccd: leading zeros kept, districts unpadded, bad rows reported', () => {
  const { rows, bad } = parseZccd(
    'state_fips,state_abbr,zcta,cd\r\n72,PR,00601,0\r\n01,AL,3500,x\r\n',
    '2024-11-12',
  )
  expect(rows).toEqual([{ zcta: '00601', state: 'PR', district: '0', sourceDate: '2024-11-12' }])
  expect(bad).toHaveLength(1)
})
