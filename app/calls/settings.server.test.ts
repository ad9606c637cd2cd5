import '#tests/setup/app-env'
import { beforeAll, expect, test } from 'vitest'
import { getSql } from '#db/client'
import { action as newAction } from '#app/routes/admin.campaigns.new'
import {
  action as settingsAction,
  loader as settingsLoader,
} from '#app/routes/admin.campaigns.$id.calls'
// Aliased: the react-hooks lint rule reads any top-level use*() call as a hook.
import { useAppDatabase as appDatabase } from '#tests/setup/db'
import { contextFor, settle, signedInOrganizer } from '#tests/setup/organizers'

// The organizer creates a call campaign in the editor, then sets its scripts per group and
// language, the call order, "Call me" and the post text.

appDatabase()
let cookie = ''
let viewerCookie = ''

beforeAll(async () => {
  cookie = (await signedInOrganizer('organizer')).cookie
  viewerCookie = (await signedInOrganizer('viewer')).cookie
})

function post(url: string, fields: Record<string, string>, as = cookie) {
  return new Request(`http://localhost${url}`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: as },
  })
}

test('an organizer creates a call campaign and sets its scripts, order, patch-through and post text', async () => {
  const { response } = await settle(() =>
    newAction({
      request: post('/admin/campaigns/new', {
        intent: 'save',
        slug: 'call-about-red-notices',
        kind: 'call',
        goal: '500',
        defaultLocale: 'en',
        'copy.en.headline': 'Call your Senators',
        'copy.es.headline': 'Llama a tus senadores',
        targetHouse: 'on',
        targetSenate: 'on',
        donationAmounts: '10, 25',
        donationMax: '1000',
      }),
      context: contextFor(),
      params: {},
    }),
  )
  expect(response?.status).toBe(302)
  const id = /\/admin\/campaigns\/([0-9a-f-]{36})/.exec(response!.headers.get('Location')!)![1]!
  const [c] = await getSql()`select kind from campaigns where id = ${id}`
  expect(c).toEqual({ kind: 'call' })

  const fields = {
    order: 'senate-first',
    patchThrough: 'on',
    'copy.en.scriptDefault': 'Hi, I am {{firstName}} from {{city}}.',
    'copy.en.scriptHouse': 'Hi {{targetTitle}} {{targetName}}, I am {{firstName}}.',
    'copy.en.postText': '{{handle}} please act.',
    'copy.es.scriptDefault': 'Hola, soy {{firstName}} de {{city}}.',
    'copy.es.postText': '{{handle}} actúe, por favor.',
  }
  const saved = await settle(() =>
    settingsAction({
      request: post(`/admin/campaigns/${id}/calls`, fields),
      context: contextFor(),
      params: { id },
    }),
  )
  expect(saved.response?.status).toBe(302)
  const [row] = await getSql()<
    { callConfig: unknown }[]
  >`select call_config from campaigns where id = ${id}`
  expect(row!.callConfig).toEqual({ order: ['senate', 'house'], patchThrough: true })
  const copies = await getSql()`
    select locale, call_scripts, post_text from campaign_copy where campaign_id = ${id} order by locale`
  expect(copies).toEqual([
    {
      locale: 'en',
      callScripts: {
        default: 'Hi, I am {{firstName}} from {{city}}.',
        house: 'Hi {{targetTitle}} {{targetName}}, I am {{firstName}}.',
      },
      postText: '{{handle}} please act.',
    },
    {
      locale: 'es',
      callScripts: { default: 'Hola, soy {{firstName}} de {{city}}.' },
      postText: '{{handle}} actúe, por favor.',
    },
  ])
  const page = (await settingsLoader({
    request: new Request(`http://localhost/admin/campaigns/${id}/calls`, {
      headers: { Cookie: cookie },
    }),
    context: contextFor(),
    params: { id },
  })) as { values: { order: string; patchThrough: boolean } }
  expect(page.values).toMatchObject({ order: 'senate-first', patchThrough: true })

  // An unknown merge field is refused with a message, and nothing changes.
  const bad = await settle(() =>
    settingsAction({
      request: post(`/admin/campaigns/${id}/calls`, {
        ...fields,
        'copy.en.scriptSenate': 'Hi {{ssn}}',
      }),
      context: contextFor(),
      params: { id },
    }),
  )
  expect((bad.value as { init: { status: number } }).init.status).toBe(400)
  const [after] = await getSql()<{ callScripts: Record<string, string> }[]>`
    select call_scripts from campaign_copy where campaign_id = ${id} and locale = 'en'`
  expect(after!.callScripts.senate).toBeUndefined()

  // Viewers cannot change it.
  const viewer = await settle(() =>
    settingsAction({
      request: post(`/admin/campaigns/${id}/calls`, fields, viewerCookie),
      context: contextFor(),
      params: { id },
    }),
  )
  expect(viewer.response?.status).toBe(403)
})
