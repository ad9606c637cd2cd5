import '#tests/setup/app-env'
import { Validator } from '@seriousme/openapi-schema-validator'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { getSql } from '#db/client'
import { RED_NOTICE_LETTER_SLUG, RED_NOTICE_PETITION_SLUG } from '#db/seed/red-notice'
import { closeTransport, sendQueuedEmails } from '#app/mail/mail.server'
import { eraseSupporter } from '#app/privacy/privacy.server'
import { resetEnv } from '#app/utils/env.server'
// Aliased: the react-hooks lint rule reads any top-level use*() call as a hook.
import { useAppDatabase as appDatabase } from '#tests/setup/db'
import { contextFor } from '#tests/setup/organizers'
import { startSmtpSink, type SmtpSink } from '#tests/setup/smtp-sink'
import { createApiKey } from './api.server'
import { apiReference } from './docs.server'
import { openApiDocument } from './openapi.server'
import { API_OPERATIONS, API_SCOPES, type ApiScope } from './schemas'

// The REST API end to end through its route modules: keys and scopes, pages and cursors,
// problem+json, rate limits, the signature POST, erased supporters, and the OpenAPI document.

const db = appDatabase()
let sink: SmtpSink
let petitionId = ''
let letterCampaignId = ''
const keys: Partial<Record<ApiScope | 'all' | 'none', string>> = {}

beforeAll(async () => {
  sink = await startSmtpSink()
  process.env.SMTP_URL = sink.url
  resetEnv()
  closeTransport()
  const sql = getSql()
  ;[{ id: petitionId }] = await sql<{ id: string }[]>`
    select id from campaigns where slug = ${RED_NOTICE_PETITION_SLUG}`
  ;[{ id: letterCampaignId }] = await sql<{ id: string }[]>`
    select id from campaigns where slug = ${RED_NOTICE_LETTER_SLUG}`
  const by = { organizerId: null, via: 'cli' as const }
  keys.all = (
    await createApiKey({ name: 'all', scopes: [...API_SCOPES], rateLimitPerMinute: 100_000 }, by)
  ).key
  for (const scope of API_SCOPES) {
    keys[scope] = (
      await createApiKey({ name: scope, scopes: [scope], rateLimitPerMinute: 100_000 }, by)
    ).key
  }
})

afterAll(async () => {
  closeTransport()
  await sink?.close()
})

// Each operation's route module (flat routes: `_` ends nesting, `$id` is the param).
const ROUTE_FILES: Record<string, string> = {
  '/campaigns': 'api.v1.campaigns',
  '/campaigns/{id}': 'api.v1.campaigns_.$id',
  '/people': 'api.v1.people',
  '/people/{id}': 'api.v1.people_.$id',
  '/campaigns/{id}/signatures': 'api.v1.campaigns_.$id_.signatures',
  '/campaigns/{id}/letters': 'api.v1.campaigns_.$id_.letters',
  '/donations': 'api.v1.donations',
}

type RouteModule = {
  loader: (args: unknown) => Promise<Response>
  action: (args: unknown) => Promise<Response> | Response
}

async function call(
  method: 'GET' | 'POST',
  path: string,
  {
    key,
    body,
    params = {},
    cookie,
  }: { key?: string; body?: unknown; params?: Record<string, string>; cookie?: string } = {},
) {
  const template = Object.keys(ROUTE_FILES).find((t) =>
    new RegExp(`^${t.replace(/\{id\}/g, '[^/]+')}$`).test(path.split('?')[0]!),
  )!
  const mod = (await import(`../routes/${ROUTE_FILES[template]}.ts`)) as RouteModule
  const headers: Record<string, string> = {}
  if (key) headers.Authorization = `Bearer ${key}`
  if (cookie) headers.Cookie = cookie
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const request = new Request(`http://localhost/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
  const fn = method === 'GET' ? mod.loader : mod.action
  const response = await fn({ request, params, context: contextFor('198.51.100.7') })
  const text = await response.text()
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : null,
  }
}

const pathOf = (op: (typeof API_OPERATIONS)[number], id: string) => op.path.replace('{id}', id)

describe('route walk', () => {
  test('every route is walked', () => {
    expect(Object.keys(ROUTE_FILES).sort()).toEqual(
      [...new Set(API_OPERATIONS.map((o) => o.path))].sort(),
    )
  })

  for (const op of API_OPERATIONS) {
    test(`${op.method.toUpperCase()} ${op.path}: 401 without a key, 401 with a bad one, 403 without ${op.scope}`, async () => {
      const method = op.method === 'get' ? 'GET' : 'POST'
      const body = op.method === 'post' ? {} : undefined
      const params = { id: petitionId }
      const anonymous = await call(method, pathOf(op, petitionId), { body, params })
      expect(anonymous.status).toBe(401)
      expect(anonymous.headers.get('Content-Type')).toBe('application/problem+json')
      expect(anonymous.body).toMatchObject({ status: 401, title: expect.any(String) })
      expect(anonymous.body.type).toMatch(/\/api\/docs#problem-unauthorized$/)

      const bad = await call(method, pathOf(op, petitionId), {
        key: 'writ_not-a-real-key-at-all',
        body,
        params,
      })
      expect(bad.status).toBe(401)

      const other = API_SCOPES.find((s) => s !== op.scope)!
      const forbidden = await call(method, pathOf(op, petitionId), {
        key: keys[other],
        body,
        params,
      })
      expect(forbidden.status).toBe(403)
      expect(forbidden.body.detail).toContain(op.scope)
      expect(forbidden.headers.get('RateLimit')).toMatch(/r=\d+/)
    })
  }

  test('an organizer session never authorizes /api/v1', async () => {
    const { signedInOrganizer } = await import('#tests/setup/organizers')
    const { cookie } = await signedInOrganizer('owner')
    const response = await call('GET', '/campaigns', { cookie })
    expect(response.status).toBe(401)
  })

  test('a revoked key is 401, and every use of a key is in its audit trail', async () => {
    const made = await createApiKey(
      { name: 'to revoke', scopes: ['read:campaigns'], rateLimitPerMinute: 600 },
      { organizerId: null, via: 'cli' },
    )
    expect((await call('GET', '/campaigns', { key: made.key })).status).toBe(200)
    expect((await call('GET', '/campaigns', { key: made.key })).status).toBe(200)
    const sql = getSql()
    const uses = await sql<{ method: string; path: string }[]>`
      select method, path from api_key_uses where key_id = ${made.id} order by id`
    expect(uses).toEqual([
      { method: 'GET', path: '/api/v1/campaigns' },
      { method: 'GET', path: '/api/v1/campaigns' },
    ])
    // stored only as a hash: the key itself is nowhere in the table
    const [stored] = await sql<{ prefix: string; lastUsedAt: Date | null }[]>`
      select prefix, last_used_at from api_keys where id = ${made.id}`
    expect(made.key.startsWith(stored!.prefix)).toBe(true)
    expect(stored!.lastUsedAt).not.toBeNull()
    const [leak] = await sql<{ n: number }[]>`
      select count(*)::int as n from api_keys k where k::text like ${'%' + made.key.slice(13) + '%'}`
    expect(leak!.n).toBe(0)
    const { revokeKey } = await import('./api.server')
    const { signedInOrganizer } = await import('#tests/setup/organizers')
    const { organizer } = await signedInOrganizer('owner')
    expect(await revokeKey(made.id, organizer.id)).toBe(true)
    expect((await call('GET', '/campaigns', { key: made.key })).status).toBe(401)
  })
})

describe('lists', () => {
  test('1,000 signatures paged with limit=100 while another connection inserts: each pre-existing row exactly once', async () => {
    const sql = getSql()
    const [campaign] = await sql<{ id: string }[]>`
      insert into campaigns (slug, kind, status) values ('paging-test', 'petition', 'live') returning id`
    const insertSigners = (tx: typeof sql, n: number, tag: string) => tx`
      with p as (
        insert into supporters (email, first_name, last_name, zip)
        select ${tag} || '-' || g || '@example.org', 'P', 'Q', '82001' from generate_series(1, ${n}) g
        returning id
      )
      insert into signatures (campaign_id, supporter_id, ref_code)
      select ${campaign!.id}, p.id, md5(random()::text || p.id::text) from p`
    await insertSigners(sql, 1000, 'before')
    const before = (
      await sql<
        { id: string }[]
      >`select id::text from signatures where campaign_id = ${campaign!.id}`
    ).map((r) => r.id)
    expect(before).toHaveLength(1000)

    // "another process": its own connection, inserting while the pages are read
    const other = db.sql
    let stop = false
    let batch = 0
    const inserter = (async () => {
      while (!stop) {
        await insertSigners(other, 7, `during${++batch}`)
        await new Promise((r) => setTimeout(r, 2))
      }
    })()

    const seen: string[] = []
    let path = `/campaigns/${campaign!.id}/signatures?limit=100`
    let pages = 0
    for (;;) {
      const page = await call('GET', path, {
        key: keys['read:signatures'],
        params: { id: campaign!.id },
      })
      expect(page.status).toBe(200)
      expect(page.body.data.length).toBeLessThanOrEqual(100)
      seen.push(...page.body.data.map((s: { id: string }) => s.id))
      pages++
      const link = page.headers.get('Link')
      if (!page.body.next) {
        expect(link).toBeNull()
        break
      }
      expect(link).toMatch(
        /^<http:\/\/[^>]+\/api\/v1\/campaigns\/[^>]+\/signatures\?limit=100&after=[^>]+>; rel="next"$/,
      )
      const next = new URL(link!.slice(1, link!.indexOf('>')))
      path = `/campaigns/${campaign!.id}/signatures${next.search}`
      // end the concurrent inserts eventually so that the walk reaches the last page
      if (pages === 12) stop = true
    }
    stop = true
    await inserter
    expect(batch).toBeGreaterThan(0)
    const counts = new Map<string, number>()
    for (const id of seen) counts.set(id, (counts.get(id) ?? 0) + 1)
    for (const id of before) expect(counts.get(id), `signature ${id}`).toBe(1)
    expect([...counts.values()].every((n) => n === 1)).toBe(true)
  })

  test('updated_since returns only rows changed since; a cursor that is not ours is 422', async () => {
    const sql = getSql()
    const [{ now }] = await sql<{ now: Date }[]>`select now() + interval '1 second' as now`
    await new Promise((r) => setTimeout(r, 1100))
    const [changed] = await sql<{ id: string }[]>`
      update supporters set first_name = 'Changed', updated_at = now()
      where id = (select id from supporters where erased_at is null order by created_at limit 1)
      returning id`
    const since = encodeURIComponent(now.toISOString())
    const people = await call('GET', `/people?updated_since=${since}`, { key: keys['read:people'] })
    expect(people.status).toBe(200)
    expect(people.body.data.map((p: { id: string }) => p.id)).toEqual([changed!.id])
    expect(people.body.data[0]).toMatchObject({ given_name: 'Changed' })

    const campaigns = await call('GET', `/campaigns?updated_since=${since}`, {
      key: keys['read:campaigns'],
    })
    expect(campaigns.body.data).toEqual([])
    const all = await call('GET', '/campaigns?limit=2', { key: keys['read:campaigns'] })
    expect(all.body.data).toHaveLength(2)
    expect(all.body.data[0]).toMatchObject({
      id: expect.any(String),
      signature_count: expect.any(Number),
    })

    const badCursor = await call('GET', '/campaigns?after=nonsense', {
      key: keys['read:campaigns'],
    })
    expect(badCursor.status).toBe(422)
    expect(badCursor.headers.get('Content-Type')).toBe('application/problem+json')
    const badLimit = await call('GET', '/campaigns?limit=500', { key: keys['read:campaigns'] })
    expect(badLimit.status).toBe(422)
    expect(badLimit.body.errors[0].pointer).toBe('/limit')
  })

  test('letters come with their per-office deliveries; donations list', async () => {
    const letters = await call('GET', `/campaigns/${letterCampaignId}/letters`, {
      key: keys['read:letters'],
      params: { id: letterCampaignId },
    })
    expect(letters.status).toBe(200)
    expect(Array.isArray(letters.body.data)).toBe(true)
    const missing = await call('GET', `/campaigns/00000000-0000-4000-8000-000000000000/letters`, {
      key: keys['read:letters'],
      params: { id: '00000000-0000-4000-8000-000000000000' },
    })
    expect(missing.status).toBe(404)
    const donations = await call('GET', '/donations', { key: keys['read:donations'] })
    expect(donations.status).toBe(200)
    expect(donations.body).toMatchObject({ data: expect.any(Array), next: null })
  })
})

describe('POST /campaigns/:id/signatures', () => {
  const post = (body: unknown, id = petitionId) =>
    call('POST', `/campaigns/${id}/signatures`, {
      key: keys['write:signatures'],
      body,
      params: { id },
    })

  const countRows = async () => {
    const [row] = await getSql()<{ s: number; p: number }[]>`
      select (select count(*)::int from signatures) as s, (select count(*)::int from supporters) as p`
    return row!
  }

  test('bad input: 422 problem+json naming each field, and nothing stored', async () => {
    const before = await countRows()
    const response = await post({ firstName: '', email: 'not-an-email', zip: '123' })
    expect(response.status).toBe(422)
    expect(response.headers.get('Content-Type')).toBe('application/problem+json')
    const pointers = response.body.errors.map((e: { pointer: string }) => e.pointer)
    expect(pointers).toEqual(expect.arrayContaining(['/firstName', '/lastName', '/email', '/zip']))
    expect(
      response.body.errors.find((e: { pointer: string }) => e.pointer === '/email').detail,
    ).not.toMatch(/^errors\./)
    const notJson = await post('{not json')
    expect(notJson.status).toBe(422)
    expect(await countRows()).toEqual(before)
  })

  test('a new signature is 201 and its confirmation email goes out as from the site form; a repeat returns the same signature with no new row', async () => {
    const signer = {
      firstName: 'Lucía',
      lastName: 'Ramírez',
      email: 'lucia.api@example.org',
      zip: '82001',
      optIn: true,
      locale: 'es',
      source: 'partner-form',
    }
    const created = await post(signer)
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      campaign_id: petitionId,
      person: { id: expect.any(String) },
      confirmed: false,
      source: 'partner-form',
      locale: 'es',
    })
    await sendQueuedEmails(getSql())
    const mail = await sink.waitFor((m) => m.to.includes(signer.email))
    expect(mail.text).toMatch(/\/confirm\/[A-Za-z0-9_-]+/)
    expect(mail.subject).toMatch(/confirm|Confirm/i)

    const before = await countRows()
    const again = await post({ ...signer, email: 'LUCIA.API@example.org' })
    expect(again.status).toBe(200)
    expect(again.body.id).toBe(created.body.id)
    expect(await countRows()).toEqual(before)
  })

  test('a letter campaign, an unknown campaign: 409 and 404', async () => {
    const signer = { firstName: 'A', lastName: 'B', email: 'ab@example.org', zip: '82001' }
    expect((await post(signer, letterCampaignId)).status).toBe(409)
    expect((await post(signer, '00000000-0000-4000-8000-000000000000')).status).toBe(404)
  })
})

test('an erased supporter appears only as { id, erased: true }, in people and in signatures', async () => {
  const signer = {
    firstName: 'Erase',
    lastName: 'Me',
    email: 'erase.api@example.org',
    zip: '82001',
  }
  const created = await call('POST', `/campaigns/${petitionId}/signatures`, {
    key: keys['write:signatures'],
    body: signer,
    params: { id: petitionId },
  })
  const personId = created.body.person.id as string
  const { signedInOrganizer } = await import('#tests/setup/organizers')
  const { organizer } = await signedInOrganizer('owner')
  await eraseSupporter(organizer, personId)
  const person = await call('GET', `/people/${personId}`, {
    key: keys.all,
    params: { id: personId },
  })
  expect(person.status).toBe(200)
  expect(person.body).toEqual({ id: personId, erased: true })
  const signature = await call('GET', `/campaigns/${petitionId}/signatures?limit=100`, {
    key: keys.all,
    params: { id: petitionId },
  })
  const mine = signature.body.data.find((s: { id: string }) => s.id === created.body.id)
  expect(mine.person).toEqual({ id: personId, erased: true })
  expect(mine.comment).toBeNull()
  expect(JSON.stringify(signature.body)).not.toContain('erase.api@example.org')
})

test('a listed signature is the same object the POST answered, with the stored times in ISO form', async () => {
  const created = await call('POST', `/campaigns/${petitionId}/signatures`, {
    key: keys['write:signatures'],
    body: {
      firstName: 'Same',
      lastName: 'Shape',
      email: 'same.shape@example.org',
      zip: '82001',
      comment: 'Hola',
    },
    params: { id: petitionId },
  })
  expect(created.status).toBe(201)
  await db.sql`update signatures set confirmed_at = now() where id = ${created.body.id}::bigint`
  const [stored] = await db.sql<{ createdAt: Date; confirmedAt: Date }[]>`
    select created_at, confirmed_at from signatures where id = ${created.body.id}::bigint`
  const listed = await call('GET', `/campaigns/${petitionId}/signatures?limit=100`, {
    key: keys.all,
    params: { id: petitionId },
  })
  const row = listed.body.data.find((s: { id: string }) => s.id === created.body.id)
  expect(row).toEqual({
    ...created.body,
    confirmed: true,
    confirmed_at: stored!.confirmedAt.toISOString(),
    updated_at: stored!.confirmedAt.toISOString(),
  })
  expect(row.created_at).toBe(stored!.createdAt.toISOString())
  expect(Object.keys(row)).toEqual(Object.keys(created.body))
  expect(row.comment).toBe('Hola')
})

test('per-key rate limit: RateLimit headers, then 429 with Retry-After', async () => {
  const made = await createApiKey(
    { name: 'tight', scopes: ['read:campaigns'], rateLimitPerMinute: 3 },
    { organizerId: null, via: 'cli' },
  )
  const first = await call('GET', '/campaigns', { key: made.key })
  expect(first.headers.get('RateLimit-Policy')).toBe('"per-key";q=3;w=60')
  expect(first.headers.get('RateLimit')).toMatch(/^"per-key";r=2;t=\d+$/)
  await call('GET', '/campaigns', { key: made.key })
  await call('GET', '/campaigns', { key: made.key })
  const limited = await call('GET', '/campaigns', { key: made.key })
  if (limited.status !== 429) {
    // the minute's window turned over between the calls: the next three fit again
    for (let i = 0; i < 3; i++) await call('GET', '/campaigns', { key: made.key })
  }
  const refused =
    limited.status === 429 ? limited : await call('GET', '/campaigns', { key: made.key })
  expect(refused.status).toBe(429)
  expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0)
  expect(refused.headers.get('Content-Type')).toBe('application/problem+json')
})

test('the OpenAPI document validates as OpenAPI 3.1 and describes every route with its scope', async () => {
  const doc = openApiDocument() as {
    openapi: string
    paths: Record<string, Record<string, { security: Array<Record<string, string[]>> }>>
  }
  const validator = new Validator()
  const result = await validator.validate(doc as never)
  expect(result.errors ?? []).toEqual([])
  expect(result.valid).toBe(true)
  expect(validator.version).toBe('3.1')
  for (const op of API_OPERATIONS) {
    expect(doc.paths[op.path]?.[op.method]?.security).toEqual([{ bearerKey: [op.scope] }])
  }
  const served = await (await import('../routes/api.v1.openapi[.]json')).loader()
  expect(JSON.parse(await served.text())).toEqual(JSON.parse(JSON.stringify(doc)))
})

test('the docs page lists every route with its scope', () => {
  const reference = apiReference()
  for (const op of API_OPERATIONS) {
    expect(reference.operations).toContainEqual(
      expect.objectContaining({
        method: op.method.toUpperCase(),
        path: `/api/v1${op.path.replace('{id}', ':id')}`,
        scope: op.scope,
      }),
    )
  }
  expect(reference.events).toHaveLength(9)
})
