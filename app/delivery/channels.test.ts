import { expect, test } from 'vitest'
import { chooseChannel, cwcReachOf } from './channels'

const house = { chamber: 'house', cwcCode: null, email: 'rep@house.example' }
const senator = { chamber: 'senate', cwcCode: 'SCA01', email: 'sen@senate.example' }
const custom = { chamber: null, cwcCode: null, email: null }

test('without a CWC key, offices with an address get email and the rest a packet', () => {
  const reach = cwcReachOf({ CWC_API_KEY: undefined, CWC_SENATE_ENABLED: 'true' })
  expect(chooseChannel(house, reach)).toBe('email')
  expect(chooseChannel(senator, reach)).toBe('email')
  expect(chooseChannel(custom, reach)).toBe('packet')
})

test('with a CWC key, the House goes by CWC; the Senate only where enabled and coded', () => {
  const houseOnly = cwcReachOf({ CWC_API_KEY: 'key', CWC_SENATE_ENABLED: 'false' })
  expect(chooseChannel(house, houseOnly)).toBe('cwc')
  expect(chooseChannel(senator, houseOnly)).toBe('email')
  const both = cwcReachOf({ CWC_API_KEY: 'key', CWC_SENATE_ENABLED: 'true' })
  expect(chooseChannel(senator, both)).toBe('cwc')
  expect(chooseChannel({ ...senator, cwcCode: null }, both)).toBe('email')
  expect(chooseChannel(custom, both)).toBe('packet')
})
