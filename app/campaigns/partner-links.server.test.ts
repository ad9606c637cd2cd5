import { beforeAll, expect, test, vi } from 'vitest'

vi.hoisted(() => {
  process.env.DATABASE_URL ??= 'postgres://placeholder@127.0.0.1:1/none'
})

import { resetEnv } from '#app/utils/env.server'
import { loader as editorLoader } from '#app/routes/admin.campaigns.$id._index'
import { loader as campaignLoader } from '#app/routes/c.$slug/route'
import { getSql } from '#db/client'
import { RED_NOTICE_LETTER_SLUG, RED_NOTICE_PETITION_SLUG } from '#db/seed/red-notice'
import { useAppDatabase } from '#tests/setup/db'
import { contextFor, signedInOrganizer } from '#tests/setup/organizers'

// The partners' link builder on the campaign editor (ADR 0908), through the editor's loader: its
// GET query in, the built link (or field errors) out; and the link works on the public page.

useAppDatabase()
let cookie = ''
const ids: Record<string, string> = {}

beforeAll(async () => {
  process.env.PUBLIC_URL = 'https://writ.example.org'
  resetEnv()
  cookie = (await signedInOrganizer('organizer')).cookie
  for (const slug of [RED_NOTICE_LETTER_SLUG, RED_NOTICE_PETITION_SLUG]) {
    const [row] = await getSql()<{ id: string }[]>`select id from campaigns where slug = ${slug}`
    ids[slug] = row!.id
  }
})

type Built = {
  partnerLink: {
    url: string | null
    result: { status?: string; error?: Record<string, string[] | null> } | null
  }
}

async function build(slug: string, query: string) {
  const id = ids[slug]!
  const data = (await editorLoader({
    request: new Request(`http://localhost/admin/campaigns/${id}?${query}`, {
      headers: { Cookie: cookie },
    }),
    params: { id },
    context: contextFor(),
  })) as unknown as Built
  return data.partnerLink
}

test('the editor page without the builder’s query shows no link', async () => {
  expect(await build(RED_NOTICE_PETITION_SLUG, 'saved=1')).toEqual({ result: null, url: null })
})

test('a petition link carries the source, merge tags intact, and the page language', async () => {
  const q = new URLSearchParams({
    link: '1',
    source: 'bozeman-action',
    firstName: '{{first_name}}',
    lastName: '*|LNAME|*',
    zip: '',
    lang: 'es',
  })
  const built = await build(RED_NOTICE_PETITION_SLUG, q.toString())
  expect(built.url).toBe(
    `https://writ.example.org/c/${RED_NOTICE_PETITION_SLUG}?source=bozeman-action&firstName={{first_name}}&lastName=*|LNAME|*&lang=es`,
  )
  // a fixed name is percent-encoded
  const fixed = await build(
    RED_NOTICE_PETITION_SLUG,
    new URLSearchParams({
      link: '1',
      source: 'x',
      firstName: 'Ana María',
      zip: '59715',
    }).toString(),
  )
  expect(fixed.url).toBe(
    `https://writ.example.org/c/${RED_NOTICE_PETITION_SLUG}?source=x&firstName=Ana%20Mar%C3%ADa&zip=59715`,
  )
})

test('a letter link names a House district in the data; anything else is a field error and no link', async () => {
  const built = await build(RED_NOTICE_LETTER_SLUG, 'link=1&source=mt-partners&district=mt-01')
  expect(built.url).toBe(
    `https://writ.example.org/c/${RED_NOTICE_LETTER_SLUG}?source=mt-partners&district=MT-1`,
  )
  // a letter link has no name prefill
  const noPrefill = await build(RED_NOTICE_LETTER_SLUG, 'link=1&source=a&firstName=Ana')
  expect(noPrefill.url).toBe(`https://writ.example.org/c/${RED_NOTICE_LETTER_SLUG}?source=a`)

  const unknown = await build(RED_NOTICE_LETTER_SLUG, 'link=1&source=a&district=MT-9')
  expect(unknown.url).toBeNull()
  expect(unknown.result?.error?.district).toEqual(['admin:partnerLinks.errors.unknownDistrict'])

  const bad = await build(RED_NOTICE_LETTER_SLUG, 'link=1&source=two%20words&district=Montana')
  expect(bad.url).toBeNull()
  expect(bad.result?.error?.source).toEqual(['admin:partnerLinks.errors.source'])
  expect(bad.result?.error?.district).toEqual(['admin:partnerLinks.errors.district'])

  // the built link works on the public page: the district is carried, the source tracked
  const url = new URL(built.url!)
  const page = (await campaignLoader({
    request: new Request(`http://localhost${url.pathname}${url.search}`),
    params: { slug: RED_NOTICE_LETTER_SLUG },
    context: { cspNonce: '' },
  })) as unknown as { prefill: Record<string, string>; tracking: { source?: string } }
  expect(page.prefill).toEqual({ linkDistrict: 'MT-1' })
  expect(page.tracking.source).toBe('mt-partners')
})

test('only signed-in organizers get the builder', async () => {
  const id = ids[RED_NOTICE_LETTER_SLUG]!
  await expect(
    editorLoader({
      request: new Request(`http://localhost/admin/campaigns/${id}?link=1&source=a`),
      params: { id },
      context: contextFor(),
    }),
  ).rejects.toMatchObject({ status: 401 })
})
