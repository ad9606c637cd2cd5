import { afterAll, beforeAll, expect, test } from 'vitest'
import { startServerWithEnv, type ServerWithEnv } from '#tests/setup/server-with-env'

// /privacy states the retention periods as configured, and what is never collected, in both
// languages.
let app: ServerWithEnv
beforeAll(async () => {
  app = await startServerWithEnv({ RETENTION_ADDRESS_DAYS: '45', RETENTION_MAIL_DAYS: '9' })
})
afterAll(async () => {
  await app?.close()
})

const text = async (path: string) =>
  (await (await fetch(`${app.server.url}${path}`)).text()).replace(/<[^>]+>/g, ' ')

test('English: both periods and what is never collected', async () => {
  const page = await text('/privacy?lang=en')
  expect(page).toContain('then 45 more days')
  expect(page).toContain('deleted after 9 days')
  expect(page).toContain('citizenship or immigration status')
  expect(page).toContain('Your phone number')
  expect(page).toContain('no tracking pixels')
  expect(page).toContain(
    'updates organizers send to supporters, carry no tracking pixels and no rewritten links',
  )
})

test('Spanish: both periods and what is never collected', async () => {
  const page = await text('/privacy?lang=es')
  expect(page).toContain('y 45 días más')
  expect(page).toContain('a los 9 días')
  expect(page).toContain('situación migratoria')
  expect(page).toContain('número de teléfono')
})
