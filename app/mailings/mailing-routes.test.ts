import '#tests/setup/app-env'
import { beforeAll, expect, test } from 'vitest'
import { getSql } from '#db/client'
import { RED_NOTICE_PETITION_SLUG } from '#db/seed/red-notice'
import { loader as indexLoader } from '#app/routes/admin.mailings._index'
import { action as newAction, loader as newLoader } from '#app/routes/admin.mailings.new'
import { action as mailingAction, loader as mailingLoader } from '#app/routes/admin.mailings.$id'
// Aliased: the react-hooks lint rule reads any top-level use*() call as a hook.
import { useAppDatabase as appDatabase } from '#tests/setup/db'
import { contextFor, settle, signedInOrganizer } from '#tests/setup/organizers'

// The routes: only organizers with access to supporters' data write and send; viewers see the
// mailings and their results. A bad form is a 400 with field errors and stores nothing.

appDatabase()

let viewer = ''
let organizer = ''
let campaignId = ''

beforeAll(async () => {
  viewer = (await signedInOrganizer('viewer')).cookie
  organizer = (await signedInOrganizer('organizer')).cookie
  const [c] = await getSql()<{ id: string }[]>`
    select id from campaigns where slug = ${RED_NOTICE_PETITION_SLUG}`
  campaignId = c!.id
})

function post(url: string, cookie: string, fields: Record<string, string>) {
  return new Request(`http://localhost${url}`, {
    method: 'POST',
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  })
}
const get = (url: string, cookie: string) =>
  new Request(`http://localhost${url}`, { headers: { Cookie: cookie, Accept: 'text/html' } })

test('an organizer composes, sends; a viewer sees the results but can neither compose nor send', async () => {
  const bad = await settle(() =>
    newAction({
      request: post('/admin/mailings/new', organizer, {
        intent: 'save',
        campaign: campaignId,
        states: 'Georgia',
        subjectEn: 'Hello',
        bodyEn: 'Body',
        subjectEs: 'Hola',
      }),
      params: {},
      context: contextFor(),
    }),
  )
  expect(bad.value).toMatchObject({ init: { status: 400 } })
  const errors = (bad.value as { data: { error: Record<string, string[]> } }).data.error
  expect(errors.states).toEqual(['admin:mailings.errors.states'])
  const unpaired = await settle(() =>
    newAction({
      request: post('/admin/mailings/new', organizer, {
        intent: 'save',
        campaign: 'all',
        subjectEn: 'Hello',
        bodyEn: 'Body',
        subjectEs: 'Hola',
      }),
      params: {},
      context: contextFor(),
    }),
  )
  expect(unpaired.value).toMatchObject({ init: { status: 400 } })
  expect(
    (unpaired.value as { data: { error: Record<string, string[]> } }).data.error.bodyEs,
  ).toEqual(['admin:mailings.errors.spanishPair'])
  expect((await getSql()`select 1 from mailings`).length).toBe(0)

  const created = await settle(() =>
    newAction({
      request: post('/admin/mailings/new', organizer, {
        intent: 'save',
        campaign: campaignId,
        districts: 'wy-al',
        subjectEn: 'Hello',
        bodyEn: 'Body',
      }),
      params: {},
      context: contextFor(),
    }),
  )
  expect(created.response?.status).toBe(302)
  const id = created.response!.headers.get('Location')!.split('/').pop()!
  const [row] = await getSql()<{ audience: { districts: string[] } }[]>`
    select audience from mailings where id = ${id}`
  expect(row!.audience.districts).toEqual(['WY-0'])

  // Viewers: the list and the results, nothing else.
  expect(
    (
      await settle(() =>
        indexLoader({ request: get('/admin/mailings', viewer), params: {}, context: contextFor() }),
      )
    ).value,
  ).toMatchObject({ canSend: false })
  expect(
    (
      await settle(() =>
        newLoader({
          request: get('/admin/mailings/new', viewer),
          params: {},
          context: contextFor(),
        }),
      )
    ).response?.status,
  ).toBe(403)
  const viewerPage = await settle(() =>
    mailingLoader({
      request: get(`/admin/mailings/${id}`, viewer),
      params: { id },
      context: contextFor(),
    }),
  )
  expect(viewerPage.value).toMatchObject({ canSend: false })
  const viewerSend = await settle(() =>
    mailingAction({
      request: post(`/admin/mailings/${id}`, viewer, { intent: 'send' }),
      params: { id },
      context: contextFor(),
    }),
  )
  expect(viewerSend.response?.status).toBe(403)
  expect((await getSql()`select status from mailings where id = ${id}`)[0]!.status).toBe('draft')

  // Nobody in WY-0 has confirmed and opted in: nothing is sent, and it says so.
  const empty = await settle(() =>
    mailingAction({
      request: post(`/admin/mailings/${id}`, organizer, { intent: 'send' }),
      params: { id },
      context: contextFor(),
    }),
  )
  expect(empty.value).toMatchObject({ data: { kind: 'noAudience' }, init: { status: 409 } })
  const past = await settle(() =>
    mailingAction({
      request: post(`/admin/mailings/${id}`, organizer, {
        intent: 'schedule',
        sendAt: '2001-01-01T10:00',
      }),
      params: { id },
      context: contextFor(),
    }),
  )
  expect(past.value).toMatchObject({ init: { status: 400 } })
  const missing = '00000000-0000-4000-8000-000000000000'
  expect(
    (
      await settle(() =>
        mailingLoader({
          request: get(`/admin/mailings/${missing}`, organizer),
          params: { id: missing },
          context: contextFor(),
        }),
      )
    ).response?.status,
  ).toBe(404)
})
