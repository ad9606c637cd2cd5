import { expect, test, vi } from 'vitest'

vi.hoisted(() => {
  process.env.DATABASE_URL ??= 'postgres://placeholder@127.0.0.1:1/none'
})

import { useAppDatabase } from '#tests/setup/db'
import { resetEnv } from '#app/utils/env.server'
import { getSql } from '#db/client'
import { RED_NOTICE_PETITION_SLUG } from '#db/seed/red-notice'
import { loader } from '#app/routes/c.$slug_.count[.]json'

useAppDatabase()

const get = (slug: string, lang = 'en') =>
  loader({
    request: new Request(`http://localhost/c/${slug}/count.json?lang=${lang}`),
    params: { slug },
    context: { cspNonce: '' },
  }) as Promise<Response>

async function addSigner(name: string, city: string | null) {
  const sql = getSql()
  await sql`
    with s as (insert into supporters ${sql({ email: `${name.toLowerCase()}@live.example` })} returning id)
    insert into signatures (campaign_id, supporter_id, ref_code, display_name, city, state)
    select c.id, s.id, ${`live-${name}`}, ${name}, ${city}, ${city ? 'GA' : null}
    from campaigns c, s where c.slug = ${RED_NOTICE_PETITION_SLUG}`
}

test('count.json: the count, thermometer text and recent signers in the asked language, cacheable for 5 s', async () => {
  const before = (await (await get(RED_NOTICE_PETITION_SLUG)).json()) as { count: number }
  await addSigner('Marisol', 'Atlanta')
  const res = await get(RED_NOTICE_PETITION_SLUG, 'es')
  expect(res.status).toBe(200)
  expect(res.headers.get('Cache-Control')).toBe('public, max-age=5')
  const body = (await res.json()) as Record<string, unknown>
  expect(body.count).toBe(before.count + 1)
  expect(body.label).toBe(before.count + 1 === 1 ? 'firma' : 'firmas')
  expect(body.valueText).toMatch(/ de [\d.,\s]+ firmas$/)
  expect((body.recent as string[])[0]).toBe('Marisol, de Atlanta, GA')
  // Nothing about a signer beyond what the page shows.
  expect(JSON.stringify(body)).not.toContain('@live.example')
  expect((await get('no-such-campaign')).status).toBe(404)
})

test('count.json is served from the read cache: a burst of polls reads the database once', async () => {
  process.env.READ_CACHE_MS = '60000'
  resetEnv()
  try {
    const first = (await (await get(RED_NOTICE_PETITION_SLUG)).json()) as { count: number }
    // A signature written behind the cache's back (no invalidation, as from another process):
    // the polls within the cache's lifetime must not see it, i.e. they ran no query.
    await addSigner('Cached', null)
    for (let i = 0; i < 20; i++) {
      const again = (await (await get(RED_NOTICE_PETITION_SLUG)).json()) as { count: number }
      expect(again.count).toBe(first.count)
    }
  } finally {
    process.env.READ_CACHE_MS = '0'
    resetEnv()
  }
})
