import { beforeAll, expect, test, vi } from 'vitest'

vi.hoisted(() => {
  process.env.DATABASE_URL ??= 'postgres://placeholder@127.0.0.1:1/none'
})

import { useAppDatabase } from '#tests/setup/db'
import {
  createLetter,
  customTargetToDeliveryTarget,
  getLetterCampaignForWriting,
  resolveLetterText,
} from '#app/letters/letters.server'
import { getSql } from '#db/client'
import { RED_NOTICE_LETTER_SLUG } from '#db/seed/red-notice'
import { loader as statusLoader } from '#app/routes/letters.$token'
import { loader as packetsLoader } from '#app/routes/admin.packets._index'
import { loader as packetCsvLoader } from '#app/routes/admin.packets.$packetId[.]csv'

useAppDatabase()

let token = ''

beforeAll(async () => {
  process.env.CWC_API_KEY = ''
  const sql = getSql()
  const [c] = await sql<{ id: string; letterEditable: boolean; letterMaxLength: number }[]>`
    select id, letter_editable, letter_max_length from campaigns where slug = ${RED_NOTICE_LETTER_SLUG}`
  const [t] = await sql<
    { id: string; name: string; title: string; channel: 'email' | 'packet'; email: string | null }[]
  >`select id, name, title, channel, email from custom_targets where campaign_id = ${c!.id}`
  const created = await sql.begin(async (tx) => {
    const [s] = await tx<{ id: string }[]>`
      insert into supporters ${tx({ email: 'route@example.org' })} returning id`
    return createLetter(tx, {
      campaign: c!,
      supporterId: s!.id,
      constituent: {
        prefix: 'Mr.',
        firstName: 'Luis',
        lastName: 'Ortega',
        email: 'route@example.org',
        street: '2 Elm St',
        city: 'Fresno',
        state: 'CA',
        zip: '93701',
      },
      subject: 'Hello {{targetTitle}}',
      body: 'Dear {{targetTitle}} {{targetName}},\n\nPlease act.\n\n{{firstName}}',
      edited: true,
      locale: 'es',
      targets: [customTargetToDeliveryTarget(t!)],
    })
  })
  token = created.statusToken
  expect(created.statusPath).toBe(`/letters/${token}`)
})

const call = (url: string, token_: string) =>
  statusLoader({ request: new Request(url), params: { token: token_ }, context: { cspNonce: '' } })

test('the status page shows each office, in the reader’s language', async () => {
  const res = (await call(`http://x/letters/${token}?lang=es`, token)) as unknown as {
    data: {
      status: {
        offices: Array<{ status: string; channel: string; detail: string }>
        subject: string
      }
    }
    init: { headers: Record<string, string> }
  }
  expect(res.data.status.subject).toBe('Hello Secretary')
  expect(res.data.status.offices).toEqual([
    expect.objectContaining({
      status: 'En cola',
      channel: 'Correo electrónico',
      detail: 'Esperando su envío.',
    }),
  ])
  expect(res.init.headers['Cache-Control']).toBe('private, no-store')
})

test('an unknown or malformed token is a 404', async () => {
  for (const bad of ['x'.repeat(43), 'short', '../../etc']) {
    const error = await call(`http://x/letters/${bad}`, bad).catch((e: unknown) => e)
    expect((error as { init: { status: number } }).init.status).toBe(404)
  }
})

test('the packet routes refuse anyone who is not a signed-in organizer', async () => {
  for (const run of [
    () =>
      packetsLoader({
        request: new Request('http://x/admin/packets'),
        params: {},
        context: { cspNonce: '' },
      }),
    () =>
      packetCsvLoader({
        request: new Request('http://x/admin/packets/00000000-0000-4000-8000-000000000000.csv'),
        params: { packetId: '00000000-0000-4000-8000-000000000000' },
        context: { cspNonce: '' },
      }),
  ]) {
    const thrown = await run().catch((e: unknown) => e)
    expect(thrown).toBeInstanceOf(Response)
    expect((thrown as Response).status).toBe(401)
  }
})

test('the letter flow gets the campaign, its suggested letter and its named officials', async () => {
  const w = await getLetterCampaignForWriting(RED_NOTICE_LETTER_SLUG, 'es')
  expect(w?.campaign).toMatchObject({
    letterEditable: true,
    cwcTopic: 'Immigration',
    status: 'live',
  })
  expect(w?.campaign.targetConfig).toMatchObject({ house: true, senate: true })
  expect(w?.suggested.locale).toBe('es')
  expect(w?.suggested.body).toContain('{{targetName}}')
  expect(w?.customTargets).toEqual([
    expect.objectContaining({
      title: 'Secretary',
      email: 'dhs-secretary@demo.writ.example',
      chamber: null,
    }),
  ])
  expect(await getLetterCampaignForWriting('stop-red-notice-detentions', 'en')).toBeNull()

  const suggested = w!.suggested
  expect(resolveLetterText({ campaign: w!.campaign, suggested, submitted: {} })).toMatchObject({
    edited: false,
  })
  expect(
    resolveLetterText({
      campaign: w!.campaign,
      suggested,
      submitted: { message: 'My own words, please act.' },
    }),
  ).toMatchObject({ body: 'My own words, please act.', edited: true })
  expect(
    resolveLetterText({
      campaign: { ...w!.campaign, letterEditable: false },
      suggested,
      submitted: { message: 'ignored' },
    }),
  ).toMatchObject({ body: suggested.body, edited: false })
})
