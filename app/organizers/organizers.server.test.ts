import '#tests/setup/app-env'
import { beforeAll, expect, test } from 'vitest'
import { getSql } from '#db/client'
import { action as organizersAction } from '#app/routes/admin.organizers'
import { requireOrganizer } from '#app/http/session.server'
// Aliased: the react-hooks lint rule reads any top-level use*() call as a hook.
import { useAppDatabase as appDatabase } from '#tests/setup/db'
import { contextFor, settle, signedInOrganizer } from '#tests/setup/organizers'

appDatabase()

let owner: Awaited<ReturnType<typeof signedInOrganizer>>

beforeAll(async () => {
  owner = await signedInOrganizer('owner')
})

function post(fields: Record<string, string>) {
  return organizersAction({
    request: new Request('http://localhost/admin/organizers', {
      method: 'POST',
      body: new URLSearchParams(fields),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: owner.cookie },
    }),
    context: contextFor(),
    params: {},
  })
}

test('inviting creates the account and emails a set-your-password link; audited', async () => {
  const { response } = await settle(() =>
    post({ intent: 'invite', email: 'Invitee@Example.org', name: 'Ana', role: 'organizer' }),
  )
  expect(response?.status).toBe(302)
  const [o] =
    await getSql()`select id, role, name from organizers where email = 'invitee@example.org'`
  expect(o).toMatchObject({ role: 'organizer', name: 'Ana' })
  const [mail] =
    await getSql()`select subject, text_body from outbound_emails where to_address = 'invitee@example.org'`
  expect(mail.subject).toMatch(/invited/)
  expect(mail.textBody).toMatch(/\/admin\/reset-password\/[A-Za-z0-9_-]{43}/)
  const [audit] = await getSql()`select action, details from audit_log where subject_id = ${o.id}`
  expect(audit).toMatchObject({ action: 'organizer.invite', details: { role: 'organizer' } })
})

test('role change and disable are audited; disabling signs the organizer out', async () => {
  const target = await signedInOrganizer('organizer')
  expect(
    (await settle(() => post({ intent: 'role', organizerId: target.organizer.id, role: 'viewer' })))
      .response?.status,
  ).toBe(302)
  expect(
    (await settle(() => post({ intent: 'disable', organizerId: target.organizer.id }))).response
      ?.status,
  ).toBe(302)
  const { response } = await settle(() =>
    requireOrganizer(new Request('http://localhost/admin', { headers: { Cookie: target.cookie } })),
  )
  expect(response?.status).toBe(401)
  const audit = await getSql()`
    select action, details from audit_log where subject_id = ${target.organizer.id} order by id`
  expect(audit.map((a) => a.action)).toEqual(['organizer.role_change', 'organizer.disable'])
  expect(audit[0].details).toMatchObject({ from: 'organizer', to: 'viewer' })
})

test('the last active owner can be neither demoted nor disabled', async () => {
  await getSql()`update organizers set disabled_at = now() where role = 'owner' and id <> ${owner.organizer.id}`
  const { value } = await settle(() =>
    post({ intent: 'role', organizerId: owner.organizer.id, role: 'viewer' }),
  )
  expect((value as { init: { status: number } }).init.status).toBe(409)
  const [o] = await getSql()`select role from organizers where id = ${owner.organizer.id}`
  expect(o.role).toBe('owner')
})
