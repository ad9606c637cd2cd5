import '#tests/setup/app-env'
import { expect, test } from 'vitest'
import { getSql } from '#db/client'
import { getDashboard } from '#app/metrics/metrics.server'
import { useAppDatabase as appDatabase } from '#tests/setup/db'
import { getRosterWarning } from './freshness.server'

// The test database holds the shared roster, taken on 2026-06-15.
appDatabase()

test('the dashboard warns that the roster predates the 120th Congress', async () => {
  expect(await getRosterWarning(getSql(), '2026-11-29')).toEqual({
    sourceDate: '2026-06-15',
    congress: 120,
    seatedOn: '2027-01-03',
    seated: false,
    ageDays: 167,
  })
  expect(await getRosterWarning(getSql(), '2027-01-04')).toMatchObject({ seated: true })
  expect(await getRosterWarning(getSql(), '2026-07-01')).toBeNull()
  const dashboard = await getDashboard({ pii: false, locale: 'en' })
  expect(dashboard.rosterWarning).toMatchObject({ sourceDate: '2026-06-15', congress: 120 })
})
