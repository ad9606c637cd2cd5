import '#tests/setup/app-env'
import { beforeAll, expect, test } from 'vitest'
import { getSql } from '#db/client'
import { listLiveCampaigns } from '#db/queries/campaigns'
import { action as editAction, loader as editLoader } from '#app/routes/admin.campaigns.$id._index'
import { action as newAction } from '#app/routes/admin.campaigns.new'
import { loader as previewLoader } from '#app/routes/admin.campaigns.$id.preview'
// Aliased: the react-hooks lint rule reads any top-level use*() call as a hook.
import { useAppDatabase as appDatabase } from '#tests/setup/db'
import { contextFor, settle, signedInOrganizer } from '#tests/setup/organizers'

appDatabase()

let cookie = ''
let organizerId = ''

beforeAll(async () => {
  const signedIn = await signedInOrganizer('organizer')
  cookie = signedIn.cookie
  organizerId = signedIn.organizer.id
})

function post(url: string, fields: Record<string, string>) {
  return new Request(`http://localhost${url}`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
  })
}

const letterFields = {
  intent: 'save',
  slug: 'end-backdoor-extraditions',
  kind: 'letter',
  goal: '2500',
  defaultLocale: 'en',
  'copy.en.headline': 'End backdoor extraditions',
  'copy.en.summary': 'Ask Congress to stop arrests based on Red Notices alone.',
  'copy.en.story': 'Sasha was detained in Atlanta.\n\nHe had applied for asylum.',
  'copy.en.ask': 'Pass S. 2525.',
  'copy.en.facts':
    'ICE Directive 15006.1 limits reliance on Red Notices | ICE Directive 15006.1 | https://www.ice.gov/directive\nFreedom House counted 12 abusing states | Freedom House | https://freedomhouse.org/report',
  'copy.en.thankYou': 'Thank you for writing.',
  'copy.en.shareText': 'I wrote to Congress.',
  'copy.en.letterSubject': 'Pass S. 2525',
  'copy.en.letterBody':
    'Dear {{targetTitle}} {{targetName}},\n\nPlease act.\n\n{{firstName}} {{lastName}}',
  'copy.es.headline': 'Acabemos con las extradiciones encubiertas',
  'copy.es.summary':
    'Pida al Congreso que frene los arrestos basados solo en Notificaciones Rojas.',
  'copy.es.letterSubject': 'Aprueben la S. 2525',
  'copy.es.letterBody': 'Estimado/a {{targetTitle}} {{targetName}}:\n\n{{firstName}}',
  // named officials get the organization's letter (ADR 0904)
  'copy.en.officialsSubject': 'End arrests on Red Notices alone',
  'copy.en.officialsBody': '{{salutation}},\n\nPlease end it.\n\n{{firstName}} {{lastName}}',
  'copy.es.officialsSubject': 'Pongan fin a los arrestos por Notificaciones Rojas',
  'copy.es.officialsBody': '{{salutation}}:\n\nPongan fin a esto.\n\n{{firstName}}',
  letterEditable: 'on',
  letterMaxLength: '4000',
  letterRequiresConfirmation: 'on',
  cwcTopic: 'Immigration',
  billCongress: '119',
  billType: 'S',
  billNumber: '2525',
  billTitle: 'Transnational Repression Policy Act',
  billUrl: 'https://www.congress.gov/bill/119th-congress/senate-bill/2525',
  billCompanion: 'H.R. 4829 | https://www.congress.gov/bill/119th-congress/house-bill/4829',
  targetHouse: 'on',
  targetSenate: 'on',
  customTargets:
    'Secretary of Homeland Security | Secretary | email | secretary@dhs.example\nICE Director | Director | packet',
  donationEnabled: 'on',
  donationAmounts: '5, 20, 50',
  donationMax: '500',
  donationShowTotal: 'on',
}

let campaignId = ''

test('creates a bilingual letter campaign as a draft with every setting stored', async () => {
  const { response } = await settle(() =>
    newAction({
      request: post('/admin/campaigns/new', letterFields),
      context: contextFor(),
      params: {},
    }),
  )
  expect(response?.status).toBe(302)
  campaignId = /\/admin\/campaigns\/([0-9a-f-]{36})/.exec(response!.headers.get('Location')!)![1]
  const sql = getSql()
  const [c] = await sql`select * from campaigns where id = ${campaignId}`
  expect(c).toMatchObject({
    slug: 'end-backdoor-extraditions',
    kind: 'letter',
    status: 'draft',
    goal: 2500,
    locales: ['en', 'es'],
    targetConfig: { house: true, senate: true, stateUpper: false, stateLower: false },
    letterEditable: true,
    letterMaxLength: 4000,
    letterRequiresConfirmation: true,
    cwcTopic: 'Immigration',
    bill: {
      congress: 119,
      type: 'S',
      number: 2525,
      title: 'Transnational Repression Policy Act',
      companion: {
        type: 'H.R',
        number: 4829,
        url: 'https://www.congress.gov/bill/119th-congress/house-bill/4829',
      },
    },
    donationConfig: { enabled: true, amounts: [5, 20, 50], maxAmount: 500, showTotal: true },
    createdBy: organizerId,
  })
  const copy =
    await sql`select * from campaign_copy where campaign_id = ${campaignId} order by locale`
  expect(copy.map((r) => r.locale)).toEqual(['en', 'es'])
  expect(copy[0].facts).toEqual([
    {
      text: 'ICE Directive 15006.1 limits reliance on Red Notices',
      sourceTitle: 'ICE Directive 15006.1',
      sourceUrl: 'https://www.ice.gov/directive',
    },
    {
      text: 'Freedom House counted 12 abusing states',
      sourceTitle: 'Freedom House',
      sourceUrl: 'https://freedomhouse.org/report',
    },
  ])
  expect(copy[1].headline).toBe('Acabemos con las extradiciones encubiertas')
  const targets = await sql`
    select name, title, channel, email from custom_targets where campaign_id = ${campaignId} order by position`
  expect(targets).toEqual([
    {
      name: 'Secretary of Homeland Security',
      title: 'Secretary',
      channel: 'email',
      email: 'secretary@dhs.example',
    },
    { name: 'ICE Director', title: 'Director', channel: 'packet', email: null },
  ])
  // a draft is not public
  expect((await listLiveCampaigns(sql, 'en')).some((x) => x.id === campaignId)).toBe(false)
})

test('the editor loads back what was saved', async () => {
  const data = await editLoader({
    request: new Request(`http://localhost/admin/campaigns/${campaignId}`, {
      headers: { Cookie: cookie },
    }),
    context: contextFor(),
    params: { id: campaignId },
  })
  expect(data.values.copy.en.facts).toBe(letterFields['copy.en.facts'])
  expect(data.values.customTargets).toBe(letterFields.customTargets)
  expect(data.values.donationAmounts).toBe('5, 20, 50')
  expect(data.values.billCompanion).toBe(letterFields.billCompanion)
  expect(data.values.letterRequiresConfirmation).toBe(true)
})

test('bad input gets 400 with field errors and nothing is stored', async () => {
  const { value } = await settle(() =>
    newAction({
      request: post('/admin/campaigns/new', {
        ...letterFields,
        slug: 'Bad Slug!',
        'copy.en.facts': 'a fact without a source',
        'copy.en.letterBody': 'Hello {{ssn}}',
        customTargets: 'Someone | Title | email | not-an-email',
        donationAmounts: '5, 20, 5000',
      }),
      context: contextFor(),
      params: {},
    }),
  )
  const result = value as { init: { status: number }; data: { error: Record<string, string[]> } }
  expect(result.init.status).toBe(400)
  expect(result.data.error).toMatchObject({
    slug: ['admin:errors.slug'],
    'copy.en.facts': ['admin:errors.facts'],
    'copy.en.letterBody': ['admin:errors.mergeField'],
    customTargets: ['admin:errors.customTargets'],
    donationAmounts: ['admin:errors.amounts'],
  })
  const [n] = await getSql()`select count(*)::int as n from campaigns where slug = 'bad-slug'`
  expect(n.n).toBe(0)
})

test('a taken slug is refused with 409', async () => {
  const { value } = await settle(() =>
    newAction({
      request: post('/admin/campaigns/new', {
        ...letterFields,
        slug: 'stop-red-notice-detentions',
      }),
      context: contextFor(),
      params: {},
    }),
  )
  const result = value as { init: { status: number }; data: { error: Record<string, string[]> } }
  expect(result.init.status).toBe(409)
  expect(result.data.error.slug).toEqual(['admin:errors.slugTaken'])
})

test('preview shows a draft to organizers, in the requested language', async () => {
  const data = await previewLoader({
    request: new Request(`http://localhost/admin/campaigns/${campaignId}/preview?lang=es`, {
      headers: { Cookie: cookie },
    }),
    context: contextFor(),
    params: { id: campaignId },
  })
  expect(data.campaign.status).toBe('draft')
  expect(data.copy?.headline).toBe('Acabemos con las extradiciones encubiertas')
})

test('publish, edit live, close, reopen: each is audited and live edits list what changed', async () => {
  const status = (intent: string) =>
    settle(() =>
      editAction({
        request: post(`/admin/campaigns/${campaignId}`, { intent }),
        context: contextFor(),
        params: { id: campaignId },
      }),
    )
  // editing a draft is not audited
  await settle(() =>
    editAction({
      request: post(`/admin/campaigns/${campaignId}`, { ...letterFields, goal: '3000' }),
      context: contextFor(),
      params: { id: campaignId },
    }),
  )
  expect((await status('publish')).response?.status).toBe(302)
  const live = await listLiveCampaigns(getSql(), 'es')
  expect(live.find((x) => x.id === campaignId)?.headline).toBe(
    'Acabemos con las extradiciones encubiertas',
  )

  const edit = await settle(() =>
    editAction({
      request: post(`/admin/campaigns/${campaignId}`, {
        ...letterFields,
        goal: '5000',
        'copy.es.summary': 'Resumen nuevo.',
      }),
      context: contextFor(),
      params: { id: campaignId },
    }),
  )
  expect(edit.response?.status).toBe(302)
  // publishing twice is refused
  const again = await status('publish')
  expect((again.value as { init: { status: number } }).init.status).toBe(409)
  expect((await status('close')).response?.status).toBe(302)
  const [closed] = await getSql()`select status, closed_at from campaigns where id = ${campaignId}`
  expect(closed.status).toBe('closed')
  expect(closed.closedAt).toBeInstanceOf(Date)
  expect((await status('reopen')).response?.status).toBe(302)

  const audit = await getSql()`
    select action, organizer_id, details from audit_log
    where subject_type = 'campaign' and subject_id = ${campaignId} order by id`
  expect(audit.map((a) => a.action)).toEqual([
    'campaign.create',
    'campaign.publish',
    'campaign.update_live',
    'campaign.close',
    'campaign.reopen',
  ])
  expect(audit.every((a) => a.organizerId === organizerId)).toBe(true)
  expect(audit[2].details).toMatchObject({ changed: ['copy.es.summary', 'goal'] })
})

test('custom targets keep their ids when edited (deliveries refer to them)', async () => {
  const before =
    await getSql()`select id, name from custom_targets where campaign_id = ${campaignId} order by position`
  await settle(() =>
    editAction({
      request: post(`/admin/campaigns/${campaignId}`, {
        ...letterFields,
        customTargets:
          'ICE Director | Acting Director | packet\nSecretary of Homeland Security | Secretary | email | new@dhs.example',
      }),
      context: contextFor(),
      params: { id: campaignId },
    }),
  )
  const after =
    await getSql()`select id, name, title, email from custom_targets where campaign_id = ${campaignId} order by position`
  expect(after.map((t) => t.name)).toEqual(['ICE Director', 'Secretary of Homeland Security'])
  expect(after.find((t) => t.name === 'ICE Director')?.id).toBe(
    before.find((t) => t.name === 'ICE Director')?.id,
  )
  expect(after[1].email).toBe('new@dhs.example')
})

test('committee targets: the editor stores and loads them back, and the preview shows each chair and ranking member', async () => {
  const body = new URLSearchParams({ ...letterFields, slug: 'judiciary-letters' })
  body.append('committees', 'HSJU')
  body.append('committees', 'SSJU')
  body.set('committeeMode', 'mine')
  const request = (fields: URLSearchParams) =>
    new Request('http://localhost/admin/campaigns/new', {
      method: 'POST',
      body: fields,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
    })
  const { response } = await settle(() =>
    newAction({ request: request(body), context: contextFor(), params: {} }),
  )
  expect(response?.status).toBe(302)
  const id = /\/admin\/campaigns\/([0-9a-f-]{36})/.exec(response!.headers.get('Location')!)![1]
  const [c] = await getSql()`select target_config from campaigns where id = ${id}`
  expect(c.targetConfig).toEqual({
    house: true,
    senate: true,
    stateUpper: false,
    stateLower: false,
    committees: ['HSJU', 'SSJU'],
    committeeMode: 'mine',
  })

  const editor = await editLoader({
    request: new Request(`http://localhost/admin/campaigns/${id}`, { headers: { Cookie: cookie } }),
    context: contextFor(),
    params: { id },
  })
  expect(editor.values.committees).toEqual(['HSJU', 'SSJU'])
  expect(editor.values.committeeMode).toBe('mine')
  expect(editor.committeeOptions).toContainEqual({
    value: 'HSJU01',
    label: expect.stringMatching(/^House Committee on the Judiciary: .+ \(HSJU01\)$/),
  })

  const preview = await previewLoader({
    request: new Request(`http://localhost/admin/campaigns/${id}/preview`, {
      headers: { Cookie: cookie },
    }),
    context: contextFor(),
    params: { id },
  })
  expect(preview.committees).toMatchObject([
    {
      id: 'HSJU',
      name: 'House Committee on the Judiciary',
      chair: { bioguide: 'J000289', name: 'Jim Jordan' },
      ranking: { bioguide: 'R000606', name: 'Jamie Raskin' },
    },
    { id: 'SSJU', chair: { bioguide: 'G000386' } },
  ])

  // "every member of X" is for petitions: a letter campaign may not choose it
  body.set('slug', 'judiciary-letters-every')
  body.set('committeeMode', 'every')
  const { value } = await settle(() =>
    newAction({ request: request(body), context: contextFor(), params: {} }),
  )
  const result = value as { init: { status: number }; data: { error: Record<string, string[]> } }
  expect(result.init.status).toBe(400)
  expect(result.data.error.committeeMode).toEqual(['admin:errors.committeeEvery'])
})

test('a message per target group: each group’s copy in each language, the thank-you list and a salutation are stored and load back', async () => {
  const fields = {
    ...letterFields,
    slug: 'three-groups',
    'copy.en.thanksSubject': 'Thank you for cosponsoring S. 2525',
    'copy.en.thanksBody': '{{salutation}},\n\nThank you.\n\n{{firstName}}',
    'copy.es.thanksSubject': 'Gracias por copatrocinar la S. 2525',
    'copy.es.thanksBody': '{{salutation}}:\n\nGracias.\n\n{{firstName}}',
    thanksList: 'm001176, S001198\nS001198',
    customTargets:
      'Secretary of Homeland Security | Secretary | email | secretary@dhs.example | Dear Mr. or Madam Secretary\nICE Director | Director | packet | Dear Director',
  }
  const { response } = await settle(() =>
    newAction({ request: post('/admin/campaigns/new', fields), context: contextFor(), params: {} }),
  )
  expect(response?.status).toBe(302)
  const id = /\/admin\/campaigns\/([0-9a-f-]{36})/.exec(response!.headers.get('Location')!)![1]!
  const sql = getSql()
  const [c] = await sql`select target_config from campaigns where id = ${id}`
  expect(c!.targetConfig.thanks).toEqual(['M001176', 'S001198'])
  const copy = await sql`
    select locale, officials_subject, thanks_subject, thanks_body from campaign_copy
    where campaign_id = ${id} order by locale`
  expect(copy.map((r) => [r.locale, r.officialsSubject, r.thanksSubject])).toEqual([
    ['en', 'End arrests on Red Notices alone', 'Thank you for cosponsoring S. 2525'],
    [
      'es',
      'Pongan fin a los arrestos por Notificaciones Rojas',
      'Gracias por copatrocinar la S. 2525',
    ],
  ])
  const targets = await sql`
    select name, salutation from custom_targets where campaign_id = ${id} order by position`
  expect(targets).toEqual([
    { name: 'Secretary of Homeland Security', salutation: 'Dear Mr. or Madam Secretary' },
    { name: 'ICE Director', salutation: 'Dear Director' },
  ])
  const data = await editLoader({
    request: new Request(`http://localhost/admin/campaigns/${id}`, { headers: { Cookie: cookie } }),
    context: contextFor(),
    params: { id },
  })
  expect(data.values.thanksList).toBe('M001176 S001198')
  expect(data.values.customTargets).toBe(fields.customTargets)
  expect(data.values.copy.es.thanksBody).toBe(fields['copy.es.thanksBody'])
  expect(data.values.copy.en.officialsBody).toBe(fields['copy.en.officialsBody'])
  // the preview names the thank-you list from the roster, so the organizer can check the ids
  const preview = await previewLoader({
    request: new Request(`http://localhost/admin/campaigns/${id}/preview`, {
      headers: { Cookie: cookie },
    }),
    context: contextFor(),
    params: { id },
  })
  expect(preview.thanks).toEqual([
    { id: 'M001176', name: 'Jeff Merkley' },
    { id: 'S001198', name: 'Dan Sullivan' },
  ])
  expect(preview.copy?.thanksSubject).toBe('Thank you for cosponsoring S. 2525')
})

test('named officials without their letter, a thank-you list without its letter, or a bad bioguide id: 400', async () => {
  const { value } = await settle(() =>
    newAction({
      request: post('/admin/campaigns/new', {
        ...letterFields,
        slug: 'missing-groups',
        'copy.es.officialsBody': '',
        thanksList: 'M001176 not-an-id',
      }),
      context: contextFor(),
      params: {},
    }),
  )
  const result = value as { init: { status: number }; data: { error: Record<string, string[]> } }
  expect(result.init.status).toBe(400)
  expect(result.data.error).toMatchObject({
    'copy.es.officialsBody': ['admin:errors.officialsRequired'],
    thanksList: ['admin:errors.thanksList'],
  })
  const { value: v2 } = await settle(() =>
    newAction({
      request: post('/admin/campaigns/new', {
        ...letterFields,
        slug: 'missing-thanks',
        thanksList: 'M001176',
      }),
      context: contextFor(),
      params: {},
    }),
  )
  const r2 = v2 as { init: { status: number }; data: { error: Record<string, string[]> } }
  expect(r2.init.status).toBe(400)
  expect(r2.data.error).toMatchObject({
    'copy.en.thanksSubject': ['admin:errors.thanksRequired'],
    'copy.es.thanksSubject': ['admin:errors.thanksRequired'],
  })
  const [n] = await getSql()`
    select count(*)::int as n from campaigns where slug in ('missing-groups', 'missing-thanks')`
  expect(n!.n).toBe(0)
})
