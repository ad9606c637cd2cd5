import '#tests/setup/app-env'
import { expect, test } from 'vitest'
import { getSql } from '#db/client'
import { action, loader } from '#app/routes/admin.campaigns.$id.delivery'
// Aliased: the react-hooks lint rule reads any top-level use*() call as a hook.
import { useAppDatabase as appDatabase } from '#tests/setup/db'
import { contextFor, settle, signedInOrganizer } from '#tests/setup/organizers'

// The petition's delivery page through its loader and action: bad milestones are a 400 with
// nothing stored, good ones are stored, and "deliver now" with nothing new is a 409.
appDatabase()

function post(id: string, cookie: string, fields: Record<string, string>) {
  return new Request(`http://localhost/admin/campaigns/${id}/delivery`, {
    method: 'POST',
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  })
}

async function emptyPetition() {
  const [c] = await getSql()<{ id: string }[]>`
    insert into campaigns (slug, kind, status, target_config)
    values ('route-petition', 'petition', 'live', '{"house": true, "senate": true}')
    returning id`
  return c!.id
}

test('milestones: "abc" is refused with nothing stored; "1,000, 5000" is stored; deliver now with no signature is a 409', async () => {
  const id = await emptyPetition()
  const { cookie } = await signedInOrganizer('organizer')
  const call = (fields: Record<string, string>) =>
    settle(() =>
      action({ request: post(id, cookie, fields), params: { id }, context: contextFor() }),
    )

  const bad = await call({ intent: 'milestones', milestones: '1000, abc' })
  expect(bad.response ?? bad.value).toMatchObject({ init: { status: 400 } })
  expect(await getSql()`select 1 from petition_milestones where campaign_id = ${id}`).toHaveLength(
    0,
  )

  const good = await call({ intent: 'milestones', milestones: '5000, 1,000' })
  expect(good.response?.status).toBe(302)
  expect(good.response?.headers.get('Location')).toBe(
    `/admin/campaigns/${id}/delivery?done=milestones`,
  )
  const page = await loader({
    request: new Request(`http://localhost/admin/campaigns/${id}/delivery`, {
      headers: { Cookie: cookie },
    }),
    params: { id },
    context: contextFor(),
  })
  expect(page.milestones.map((m) => m.threshold)).toEqual([1000, 5000])

  const now = await call({ intent: 'deliver' })
  expect(now.value).toMatchObject({ data: { error: 'nothing_new' }, init: { status: 409 } })

  const viewer = await signedInOrganizer('viewer')
  const refused = await settle(() =>
    action({
      request: post(id, viewer.cookie, { intent: 'deliver' }),
      params: { id },
      context: contextFor(),
    }),
  )
  expect(refused.response?.status).toBe(403)
})
