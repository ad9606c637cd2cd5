import '#tests/setup/app-env'
import { randomBytes } from 'node:crypto'
import { beforeAll, describe, expect, test } from 'vitest'
import { createSql, getSql } from '#db/client'
import { insertSignature, type NewSignature } from '#db/queries/petitions'
import { eraseSupporterRows } from '#db/queries/privacy'
import { foldCounterShards, rebuildMetrics } from '#db/queries/metrics'
import { getMetrics } from '#app/metrics/metrics.server'
import { loader as dashboardLoader } from '#app/routes/admin._index'
import { loader as campaignMetricsLoader } from '#app/routes/admin.campaigns.$id.metrics'
// Aliased: the react-hooks lint rule reads any top-level use*() call as a hook.
import { useAppDatabase as appDatabase } from '#tests/setup/db'
import { contextFor, settle, signedInOrganizer } from '#tests/setup/organizers'
import { newSignatureFixture } from '#tests/setup/signatures'

appDatabase()

let viewerCookie = ''
let organizerCookie = ''
let petitionId = ''

function utcDay(daysAgo: number) {
  const d = new Date()
  d.setUTCDate(d.getUTCDate() - daysAgo)
  return d.toISOString().slice(0, 10)
}

async function dashboard(cookie: string) {
  return dashboardLoader({
    request: new Request('http://localhost/admin', { headers: { Cookie: cookie } }),
    context: contextFor(),
    params: {},
  })
}

async function campaignMetrics(id: string, cookie: string) {
  return campaignMetricsLoader({
    request: new Request(`http://localhost/admin/campaigns/${id}/metrics`, {
      headers: { Cookie: cookie },
    }),
    context: contextFor(),
    params: { id },
  })
}

/** The rollups give the same answers as a rebuild from the source tables. */
async function expectRollupsEqualRecount(campaignId: string) {
  const before = [await getMetrics({ campaignId, pii: true }), await getMetrics({ pii: true })]
  await rebuildMetrics(getSql())
  const after = [await getMetrics({ campaignId, pii: true }), await getMetrics({ pii: true })]
  expect(before).toEqual(after)
}

beforeAll(async () => {
  viewerCookie = (await signedInOrganizer('viewer')).cookie
  organizerCookie = (await signedInOrganizer('organizer')).cookie
  const sql = getSql()
  const [c] = await sql`select id from campaigns where slug = 'stop-red-notice-detentions'`
  petitionId = c.id
  // today: 2 confirmed + 1 unconfirmed + 1 held (not counted); 3 days ago: 1 unconfirmed;
  // 20 days ago: 1 confirmed (outside the 14-day table, inside the totals)
  const rows: Array<[number, boolean, boolean]> = [
    [0, true, false],
    [0, true, false],
    [0, false, false],
    [0, true, true],
    [3, false, false],
    [20, true, false],
  ]
  for (const [i, [daysAgo, confirmed, held]] of rows.entries()) {
    const [p] =
      await sql`insert into supporters (email) values (${`m${i}@example.org`}) returning id`
    await sql`
      insert into signatures ${sql({
        campaignId: petitionId,
        supporterId: p.id,
        refCode: randomBytes(6).toString('hex'),
        held,
        createdAt: new Date(Date.now() - daysAgo * 86_400_000),
        confirmedAt: confirmed ? new Date() : null,
      })}`
  }
})

test('the dashboard counts confirmed and unconfirmed per campaign and per day, leaving out held signatures', async () => {
  const data = await dashboard(viewerCookie)
  expect(data.campaigns.find((c) => c.id === petitionId)).toMatchObject({
    confirmed: 3,
    unconfirmed: 2,
  })
  const { daily } = (await campaignMetrics(petitionId, viewerCookie)).metrics
  expect(daily).toHaveLength(30)
  expect(daily[29]).toEqual({ at: utcDay(0), confirmed: 2, unconfirmed: 1 })
  expect(daily[26]).toEqual({ at: utcDay(3), confirmed: 0, unconfirmed: 1 })
  expect(daily[9]).toEqual({ at: utcDay(20), confirmed: 1, unconfirmed: 0 })
  expect(daily.reduce((n, d) => n + d.confirmed + d.unconfirmed, 0)).toBe(5)
  await expectRollupsEqualRecount(petitionId)
})

test('an unknown or malformed campaign id is a 404, not a 500', async () => {
  for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
    const { response } = await settle(() => campaignMetrics(id, viewerCookie))
    expect(response?.status).toBe(404)
  }
})

describe('one campaign with known rows', () => {
  let campaignId = ''
  const zips: Array<{ zcta: string; state: string; district: string }> = []
  const supporters: Record<string, string> = {}
  const refCodes: Record<string, string> = {}

  function signature(who: string, zip: string, extra: Partial<NewSignature> = {}): NewSignature {
    const s = newSignatureFixture(`${who}@metrics.example.org`, campaignId, { zip, ...extra })
    refCodes[who] = s.refCode
    return s
  }

  beforeAll(async () => {
    const sql = getSql()
    // two ZIPs that each lie in exactly one congressional district, in two different states
    const picked = await sql<{ zcta: string; state: string; district: string }[]>`
      with single as (
        select zcta, min(state) as state, min(district) as district from zip_districts
        group by zcta having count(*) = 1
      ),
      per_state as (
        select distinct on (state) zcta, state, district from single
        where district <> '0' order by state, zcta
      )
      select * from per_state order by state limit 2`
    zips.push(...picked)
    expect(zips).toHaveLength(2)
    const [c] = await sql`
      insert into campaigns (slug, kind, status) values ('metrics-known-rows', 'letter', 'live')
      returning id`
    campaignId = c.id
    await sql`insert into campaign_copy (campaign_id, locale, headline)
              values (${campaignId}, 'en', 'Known rows')`
    const [z1, z2] = zips as [(typeof zips)[0], (typeof zips)[0]]
    // A and B in the first district (via the newsletter), C in the second (from a social site),
    // B and C through A's share link; D is held by trust & safety and never counts.
    const sign = async (s: NewSignature) => (await insertSignature(sql, s))!
    const a = await sign(
      signature('a', z1.zcta, { source: 'newsletter', referrerHost: 'news.example' }),
    )
    const b = await sign(
      signature('b', z1.zcta, {
        source: 'newsletter',
        referrerHost: 'news.example',
        referredByCode: refCodes.a!,
      }),
    )
    const cc = await sign(
      signature('c', z2.zcta, { referrerHost: 'social.example', referredByCode: refCodes.a! }),
    )
    await sign(signature('d', z2.zcta, { flagReason: 'burst', source: 'newsletter' }))
    Object.assign(supporters, { a: a.supporterId, b: b.supporterId, c: cc.supporterId })
    await sql`update signatures set confirmed_at = now() where id in (${a.id}, ${cc.id})`
    // 10 views: 5 from the newsletter, 3 from the social site, 2 direct
    await sql`
      insert into page_views (campaign_id, path, source, referrer_host)
      select ${campaignId}, '/c/metrics-known-rows', v.source, v.host
      from (values ('newsletter', 'news.example', 5), (null, 'social.example', 3), (null, null, 2))
             as v (source, host, n),
           generate_series(1, v.n)`
    // A's letter: delivered to office 1, failed at office 2, stuck in the queue for office 3.
    // C's letter: delivered to office 1 (so fully delivered).
    const letter = async (supporterId: string, signatureId: string) =>
      (
        await sql`
          insert into letters (campaign_id, supporter_id, signature_id, status_token_hash,
                               first_name, email, subject, body)
          values (${campaignId}, ${supporterId}, ${signatureId}, ${randomBytes(32)},
                  'Private', 'private@metrics.example.org', 'Subject', 'Body')
          returning id`
      )[0]!.id as string
    const la = await letter(a.supporterId, a.id)
    const lc = await letter(cc.supporterId, cc.id)
    await sql`
      insert into deliveries (letter_id, office_key, office_name, office_title, channel, status,
                              attempts, last_error, created_at, updated_at, finished_at)
      values
        (${la}, 'house/ZZ-1', 'Office One', 'Representative', 'email', 'queued', 0, null,
         now(), now(), null),
        (${la}, 'senate/ZZ/1', 'Office Two', 'Senator', 'email', 'failed', 5,
         '550 mailbox rejected', now(), now(), now()),
        (${la}, 'senate/ZZ/2', 'Office Three', 'Senator', 'email', 'queued', 0, null,
         now() - interval '2 hours', now() - interval '2 hours', null),
        (${lc}, 'house/ZZ-1', 'Office One', 'Representative', 'email', 'sending', 1, null,
         now(), now(), null)`
    // the worker's transitions: office one gets both copies
    await sql`update deliveries set status = 'delivered', finished_at = now()
              where office_key = 'house/ZZ-1' and letter_id in (${la}, ${lc})`
    // donations: one paid one-time gift, a pending one (not counted), two monthly gifts (one
    // active with two charges, one canceled after one charge)
    await sql`
      insert into donation_subscriptions (stripe_subscription_id, stripe_customer_id, campaign_id,
                                          amount_cents, status, canceled_at)
      values ('sub_metrics_1', 'cus_m1', ${campaignId}, 1000, 'active', null),
             ('sub_metrics_2', 'cus_m2', ${campaignId}, 500, 'canceled', now())`
    await sql`
      insert into donations (campaign_id, amount_cents, recurring, status,
                             stripe_checkout_session_id, stripe_invoice_id, stripe_subscription_id)
      values (${campaignId}, 2500, false, 'paid', 'cs_m1', null, null),
             (${campaignId}, 9900, false, 'pending', 'cs_m2', null, null),
             (${campaignId}, 1000, true, 'paid', null, 'in_m1', 'sub_metrics_1'),
             (${campaignId}, 1000, true, 'paid', null, 'in_m2', 'sub_metrics_1'),
             (${campaignId}, 500, true, 'paid', null, 'in_m3', 'sub_metrics_2')`
  })

  test('each metric returns the exact numbers of the seeded rows', async () => {
    const [z1, z2] = zips as [(typeof zips)[0], (typeof zips)[0]]
    const { campaign, metrics: m } = await campaignMetrics(campaignId, viewerCookie)
    expect(campaign).toMatchObject({ id: campaignId, headline: 'Known rows' })
    expect(m.funnel).toEqual({
      views: 10,
      signatures: 3,
      confirmed: 2,
      letters: 2,
      delivered: 1,
      donations: 3,
    })
    // the bucket the rows were signed in (not "now": the hour may have turned since)
    const [signed] = await getSql()<{ hour: string; day: string }[]>`
      select to_char(min(created_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:00"Z"') as hour,
             to_char(min(created_at) at time zone 'UTC', 'YYYY-MM-DD') as day
      from signatures where campaign_id = ${campaignId}`
    expect(m.hourly).toHaveLength(48)
    expect(m.hourly.filter((h) => h.confirmed + h.unconfirmed > 0)).toEqual([
      { at: signed!.hour, confirmed: 2, unconfirmed: 1 },
    ])
    expect(m.daily.filter((d) => d.confirmed + d.unconfirmed > 0)).toEqual([
      { at: signed!.day, confirmed: 2, unconfirmed: 1 },
    ])
    expect(m.sources).toEqual([
      { name: 'newsletter', views: 5, signatures: 2, confirmed: 1 },
      { name: '', views: 5, signatures: 1, confirmed: 1 },
    ])
    expect(m.referrers).toEqual([
      { name: 'news.example', views: 5, signatures: 2, confirmed: 1 },
      { name: 'social.example', views: 3, signatures: 1, confirmed: 1 },
      { name: '', views: 2, signatures: 0, confirmed: 0 },
    ])
    expect(m.leaderboard).toEqual([
      {
        refCode: refCodes.a,
        name: 'a T.',
        campaignSlug: 'metrics-known-rows',
        referrals: 2,
        confirmed: 1,
      },
    ])
    expect(m.states).toEqual([
      { state: z1.state, district: '', signatures: 2, confirmed: 1 },
      { state: z2.state, district: '', signatures: 1, confirmed: 1 },
    ])
    expect(m.districts).toEqual([
      { state: z1.state, district: z1.district, signatures: 2, confirmed: 1 },
      { state: z2.state, district: z2.district, signatures: 1, confirmed: 1 },
    ])
    expect(m.offices).toEqual([
      {
        officeKey: 'house/ZZ-1',
        officeName: 'Office One',
        total: 2,
        delivered: 2,
        queued: 0,
        sending: 0,
        awaitingHandDelivery: 0,
        cancelled: 0,
        failed: 0,
      },
      {
        officeKey: 'senate/ZZ/1',
        officeName: 'Office Two',
        total: 1,
        delivered: 0,
        queued: 0,
        sending: 0,
        awaitingHandDelivery: 0,
        cancelled: 0,
        failed: 1,
      },
      {
        officeKey: 'senate/ZZ/2',
        officeName: 'Office Three',
        total: 1,
        delivered: 0,
        queued: 1,
        sending: 0,
        awaitingHandDelivery: 0,
        cancelled: 0,
        failed: 0,
      },
    ])
    // a viewer sees which office and why it is listed, not the error text
    expect(m.problems.map((p) => [p.officeName, p.status, p.attempts, p.lastError])).toEqual([
      ['Office Two', 'failed', 5, null],
      ['Office Three', 'queued', 0, null],
    ])
    expect(JSON.stringify(m)).not.toContain('metrics.example.org')
    expect(JSON.stringify(m)).not.toContain('Private')
    expect(m.donations).toEqual({
      totalCents: 5000,
      oneTimeCents: 2500,
      oneTimeCount: 1,
      monthlyCents: 2500,
      monthlyCount: 3,
      activeMonthlyDonors: 1,
      activeMonthlyCents: 1000,
    })
    // an organizer also sees the reason
    const forOrganizer = (await campaignMetrics(campaignId, organizerCookie)).metrics
    expect(forOrganizer.problems.map((p) => p.lastError)).toEqual(['550 mailbox rejected', null])
    // the across-campaigns dashboard includes these rows
    const all = (await dashboard(viewerCookie)).metrics
    expect(all.offices.find((o) => o.officeKey === 'senate/ZZ/1')).toMatchObject({ failed: 1 })
    expect(all.funnel.views).toBeGreaterThanOrEqual(10)
    expect(all.funnel.signatures).toBeGreaterThanOrEqual(3 + 5)
    await expectRollupsEqualRecount(campaignId)
  })

  test('confirming, holding, erasing and a cancelled monthly gift keep rollups equal to a recount', async () => {
    const sql = getSql()
    // B confirms
    await sql`update signatures set confirmed_at = now()
              where supporter_id = ${supporters.b!} and campaign_id = ${campaignId}`
    let m = (await campaignMetrics(campaignId, viewerCookie)).metrics
    expect(m.funnel).toMatchObject({ signatures: 3, confirmed: 3 })
    expect(m.leaderboard[0]).toMatchObject({ referrals: 2, confirmed: 2 })
    await expectRollupsEqualRecount(campaignId)

    // trust & safety holds B: B leaves every count
    await sql`update signatures set held = true, flag_reason = 'review'
              where supporter_id = ${supporters.b!} and campaign_id = ${campaignId}`
    m = (await campaignMetrics(campaignId, viewerCookie)).metrics
    expect(m.funnel).toMatchObject({ signatures: 2, confirmed: 2 })
    expect(m.states.map((s) => s.signatures)).toEqual([1, 1])
    expect(m.sources.find((s) => s.name === 'newsletter')).toMatchObject({ signatures: 1 })
    expect(m.leaderboard[0]).toMatchObject({ referrals: 1, confirmed: 1 })
    await expectRollupsEqualRecount(campaignId)

    // A and C are erased: their signatures, letters and deliveries keep counting
    for (const who of ['a', 'c']) {
      await sql.begin((tx) => eraseSupporterRows(tx, supporters[who]!))
    }
    const erased = (await campaignMetrics(campaignId, viewerCookie)).metrics
    expect(erased.funnel).toEqual(m.funnel)
    expect(erased.states).toEqual(m.states)
    expect(erased.districts).toEqual(m.districts)
    // their copy still queued is cancelled by the erasure (ADR 0812): it moves from "queued" to
    // "cancelled", and the office's total stays
    expect(erased.offices).toEqual(
      m.offices.map((o) =>
        o.officeKey === 'senate/ZZ/2'
          ? { ...o, queued: o.queued - 1, cancelled: o.cancelled + 1 }
          : o,
      ),
    )
    expect(erased.hourly).toEqual(m.hourly)
    // the leaderboard no longer names the erased referrer
    expect(erased.leaderboard).toEqual([
      {
        refCode: refCodes.a,
        name: null,
        campaignSlug: 'metrics-known-rows',
        referrals: 1,
        confirmed: 1,
      },
    ])
    await expectRollupsEqualRecount(campaignId)

    // the active monthly gift is canceled; the failed copy is retried and delivered
    await sql`update donation_subscriptions set status = 'canceled', canceled_at = now()
              where stripe_subscription_id = 'sub_metrics_1'`
    await sql`update deliveries set status = 'delivered', finished_at = now()
              where office_key in ('senate/ZZ/1', 'senate/ZZ/2') and campaign_id = ${campaignId}`
    m = (await campaignMetrics(campaignId, viewerCookie)).metrics
    expect(m.donations).toMatchObject({ activeMonthlyDonors: 0, activeMonthlyCents: 0 })
    expect(m.funnel).toMatchObject({ letters: 2, delivered: 2 })
    expect(m.problems).toEqual([])
    await expectRollupsEqualRecount(campaignId)

    // a supporter deleted outright (cascade) leaves the counts
    await sql`delete from supporters where id = ${supporters.c!}`
    m = (await campaignMetrics(campaignId, viewerCookie)).metrics
    expect(m.funnel).toMatchObject({ signatures: 1, confirmed: 1, letters: 1, delivered: 1 })
    expect(m.offices.find((o) => o.officeKey === 'house/ZZ-1')).toMatchObject({ delivered: 1 })
    await expectRollupsEqualRecount(campaignId)

    // a copy to one more office is cancelled (never sent): counted as cancelled, not as a
    // problem, and the letter is no longer fully delivered
    const [left] = await sql<{ id: string }[]>`
      select id from letters where campaign_id = ${campaignId}`
    await sql`
      insert into deliveries (letter_id, office_key, office_name, office_title, channel, status)
      values (${left!.id}, 'house/ZZ-9', 'Office Nine', 'Representative', 'email', 'queued')`
    await sql`update deliveries set status = 'cancelled', finished_at = now()
              where office_key = 'house/ZZ-9' and campaign_id = ${campaignId}`
    m = (await campaignMetrics(campaignId, viewerCookie)).metrics
    expect(m.offices.find((o) => o.officeKey === 'house/ZZ-9')).toEqual({
      officeKey: 'house/ZZ-9',
      officeName: 'Office Nine',
      total: 1,
      delivered: 0,
      queued: 0,
      sending: 0,
      awaitingHandDelivery: 0,
      cancelled: 1,
      failed: 0,
    })
    expect(m.funnel).toMatchObject({ letters: 1, delivered: 0 })
    expect(m.problems).toEqual([])
    await expectRollupsEqualRecount(campaignId)
  })

  test("a signature whose ZIP gives no district takes its letter's House district", async () => {
    const sql = getSql()
    const [c] = await sql`
      insert into campaigns (slug, kind, status) values ('metrics-letter-district', 'letter', 'live')
      returning id`
    const zip = (
      await sql<{ zip: string }[]>`
        select lpad(g::text, 5, '0') as zip from generate_series(1, 99999) g
        where not exists (select 1 from zip_districts where zcta = lpad(g::text, 5, '0'))
        limit 1`
    )[0]!.zip
    const e = (await insertSignature(sql, { ...signature('e', zip), campaignId: c.id }))!
    let m = await getMetrics({ campaignId: c.id, pii: false })
    expect(m.districts).toEqual([{ state: '', district: '', signatures: 1, confirmed: 0 }])
    const [l] = await sql`
      insert into letters (campaign_id, supporter_id, signature_id, status_token_hash, subject, body)
      values (${c.id}, ${e.supporterId}, ${e.id}, ${randomBytes(32)}, 'S', 'B') returning id`
    await sql`
      insert into deliveries (letter_id, office_key, office_name, office_title, channel, chamber,
                              state, district)
      values (${l!.id}, 'house/ZZ-7', 'Rep Seven', 'Representative', 'email', 'house', 'ZZ', '7'),
             (${l!.id}, 'senate/ZZ/1', 'Office Two', 'Senator', 'email', 'senate', 'ZZ', null)`
    m = await getMetrics({ campaignId: c.id, pii: false })
    expect(m.districts).toEqual([{ state: 'ZZ', district: '7', signatures: 1, confirmed: 0 }])
    expect(m.states).toEqual([{ state: 'ZZ', district: '', signatures: 1, confirmed: 0 }])
    await expectRollupsEqualRecount(c.id)
  })

  test('concurrent signatures never wait on each other for a counter row, and folding the shards keeps every total', async () => {
    const sql = getSql()
    const [c] = await sql`
      insert into campaigns (slug, kind, status) values ('metrics-shards', 'petition', 'live')
      returning id`
    const campaign = c!.id as string
    const a = createSql(process.env.DATABASE_URL!, { max: 1 })
    const b = createSql(process.env.DATABASE_URL!, { max: 1 })
    // A signs and keeps its transaction open until B has signed 20 times and committed. B may
    // wait for no lock of A's (every counter and rollup row A wrote stays locked until A ends).
    let release = () => {}
    const held = new Promise<void>((r) => (release = r))
    try {
      let signedA = () => {}
      const aSigned = new Promise<void>((r) => (signedA = r))
      const inA = a.begin(async (tx) => {
        await insertSignature(tx, { ...signature('shard-a', '82001'), campaignId: campaign })
        signedA()
        await held
      })
      await aSigned
      await b.begin(async (tx) => {
        await tx`set local lock_timeout = '3s'`
        for (let i = 0; i < 20; i++) {
          const s = { ...signature(`shard-b${i}`, '82001'), campaignId: campaign }
          await insertSignature(tx, i % 2 ? s : { ...s, referrerHost: 'news.example' })
        }
      })
      release()
      await inA
    } finally {
      release()
      await a.end({ timeout: 1 })
      await b.end({ timeout: 1 })
    }
    await sql`
      update signatures set confirmed_at = now()
      where campaign_id = ${campaign} and ref_code like 'ref-shard-b1%'`
    const counted = async () =>
      (
        await sql<{ shards: number; total: number; confirmed: number; real: number }[]>`
          select count(*)::int as shards, sum(total)::int as total, sum(confirmed)::int as confirmed,
                 (select count(*)::int from signatures where campaign_id = ${campaign}) as real
          from signature_counts where campaign_id = ${campaign}`
      )[0]!
    const before = await counted()
    expect(before.shards).toBeGreaterThanOrEqual(2)
    expect(before).toMatchObject({ total: 21, real: 21 })
    const rollups = await getMetrics({ campaignId: campaign, pii: true })

    await foldCounterShards(sql)
    expect(await counted()).toEqual({ ...before, shards: 1 })
    const [{ n }] = await sql<{ n: number }[]>`
      select count(*)::int as n from metrics_signature_hours where shard <> 0`
    expect(n).toBe(0)
    expect(await getMetrics({ campaignId: campaign, pii: true })).toEqual(rollups)
    await expectRollupsEqualRecount(campaign)
  })
})
