import '#tests/setup/app-env'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { getSql } from '#db/client'
import { resetEnv } from '#app/utils/env.server'
import { closeTransport, sendQueuedEmails } from '#app/mail/mail.server'
import { unsubscribeSupporter } from '#app/safety/unsubscribe.server'
import { RED_NOTICE_LETTER_SLUG, RED_NOTICE_PETITION_SLUG } from '#db/seed/red-notice'
// Aliased: the react-hooks lint rule reads any top-level use*() call as a hook.
import { useAppDatabase as appDatabase } from '#tests/setup/db'
import { startSmtpSink, type SmtpSink } from '#tests/setup/smtp-sink'
import { askKey, getLadderEditor, nextAskAfterSigning, sendLadderFollowUps } from './ladders.server'

// Real Postgres and a real SMTP server, with the seeded demo ladder (petition → letter → donate):
// follow-ups reach exactly the supporters due one, for the first ask they have not done, once;
// the thank-you page asks for what the signer has not done; the dashboard counts each step.

appDatabase()
let sink: SmtpSink
const campaigns = {
  petition: { id: '', slug: RED_NOTICE_PETITION_SLUG, donationEnabled: true },
  letter: '',
}

beforeAll(async () => {
  sink = await startSmtpSink()
  process.env.SMTP_URL = sink.url
  resetEnv()
  closeTransport()
  const rows = await getSql()<{ id: string; slug: string }[]>`
    select id, slug from campaigns where slug in (${RED_NOTICE_PETITION_SLUG}, ${RED_NOTICE_LETTER_SLUG})`
  campaigns.petition.id = rows.find((r) => r.slug === RED_NOTICE_PETITION_SLUG)!.id
  campaigns.letter = rows.find((r) => r.slug === RED_NOTICE_LETTER_SLUG)!.id
})
afterAll(async () => {
  closeTransport()
  await sink?.close()
})

type Signer = {
  name: string
  locale?: 'en' | 'es'
  confirmedHoursAgo?: number | null
  optIn?: boolean
  held?: boolean
  wrote?: boolean
  donated?: boolean
}

/** A petition signer as the sign flow leaves them, plus what else they did. */
async function signer(s: Signer): Promise<{ supporterId: string; refCode: string }> {
  const sql = getSql()
  const email = `${s.name}@ladder.example`
  const [sup] = await sql<{ id: string }[]>`
    insert into supporters (email, locale, list_opt_in)
    values (${email}, ${s.locale ?? 'en'}, ${s.optIn ?? true}) returning id`
  const confirmed = s.confirmedHoursAgo === undefined ? 25 : s.confirmedHoursAgo
  await sql`
    insert into signatures (campaign_id, supporter_id, ref_code, confirmed_at, held, created_at)
    values (${campaigns.petition.id}, ${sup!.id}, ${`ref-${s.name}`},
            ${confirmed === null ? null : sql`now() - make_interval(hours => ${confirmed})`},
            ${s.held ?? false}, now() - interval '26 hours')`
  if (s.wrote) {
    await sql`
      insert into letters (campaign_id, supporter_id, status_token_hash, subject, body)
      values (${campaigns.letter}, ${sup!.id}, decode(md5(${email}), 'hex'), 'S', 'B')`
  }
  if (s.donated) {
    await sql`
      insert into donations (campaign_id, supporter_id, amount_cents, recurring, status)
      values (${campaigns.petition.id}, ${sup!.id}, 2500, false, 'paid')`
  }
  return { supporterId: sup!.id, refCode: `ref-${s.name}` }
}

test('follow-ups go to exactly the supporters due one, for the first ask not done, once', async () => {
  const sql = getSql()
  await signer({ name: 'ana', locale: 'es' }) // due: letter step, in Spanish
  await signer({ name: 'ben', wrote: true }) // due: donate step
  await signer({ name: 'cai', wrote: true, donated: true }) // has done every ask
  await signer({ name: 'dee', confirmedHoursAgo: 1 }) // not yet 24 hours
  await signer({ name: 'eve', confirmedHoursAgo: null }) // never confirmed
  await signer({ name: 'old', confirmedHoursAgo: 24 * 10 }) // long before: not mailed now
  const fay = await signer({ name: 'fay' })
  await unsubscribeSupporter(sql, fay.supporterId)
  await signer({ name: 'gus' })
  await sql`update supporters set erased_at = now(), email = null where email = 'gus@ladder.example'`
  await signer({ name: 'hal', optIn: false }) // never asked for updates
  await signer({ name: 'ivy', held: true }) // held for review
  await signer({ name: 'jon' })
  await sql`update supporters set hard_bounced_at = now() where email = 'jon@ladder.example'`

  expect(await sendLadderFollowUps(sql)).toBe(2)
  expect(await sendLadderFollowUps(sql)).toBe(0)
  while ((await sendQueuedEmails(sql)) > 0) {
    // send
  }
  const got = sink.messages.filter((m) => m.to[0]!.endsWith('@ladder.example'))
  expect(got.map((m) => m.to[0]).sort()).toEqual(['ana@ladder.example', 'ben@ladder.example'])
  const ana = got.find((m) => m.to[0] === 'ana@ladder.example')!
  expect(ana.subject).toBe('Escribe a tus legisladores')
  expect(ana.html).toContain(`/c/${RED_NOTICE_LETTER_SLUG}?lang=es`)
  expect(ana.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click')
  expect(ana.headers['list-unsubscribe']).toMatch(/^<http.*\/unsubscribe\/.+>$/)
  const ben = got.find((m) => m.to[0] === 'ben@ladder.example')!
  expect(ben.subject).toBe('Help fund this campaign')
  expect(ben.html).toContain(`/c/${RED_NOTICE_PETITION_SLUG}/donate`)
  expect(ben.text).toContain('Unsubscribe in one click')

  // Ana writes now: her next undone ask is "donate", but she already had this ladder's follow-up.
  await sql`
    insert into letters (campaign_id, supporter_id, status_token_hash, subject, body)
    select ${campaigns.letter}, id, decode(md5('ana-letter'), 'hex'), 'S', 'B'
    from supporters where email = 'ana@ladder.example'`
  expect(await sendLadderFollowUps(sql)).toBe(0)
  const [log] = await sql<{ n: number }[]>`select count(*)::int as n from ladder_follow_ups`
  expect(log!.n).toBe(2)
})

test('the thank-you page asks for the first thing this signer has not done, and counts it shown without knowing who', async () => {
  const kim = await signer({ name: 'kim', wrote: true })
  const lee = await signer({ name: 'lee' })
  const before = await getLadderEditor(campaigns.petition.id)
  const shownBefore = before!.conversion.map((s) => s.shownCount)

  const forKim = await nextAskAfterSigning(campaigns.petition, 'en', {
    code: kim.refCode,
    k: askKey(kim.refCode),
  })
  expect(forKim).toMatchObject({ kind: 'donate', href: `/c/${RED_NOTICE_PETITION_SLUG}/donate` })
  const forLee = await nextAskAfterSigning(campaigns.petition, 'es', {
    code: lee.refCode,
    k: askKey(lee.refCode),
  })
  expect(forLee).toMatchObject({
    kind: 'campaign',
    title: 'Escribe a tus legisladores',
    href: `/c/${RED_NOTICE_LETTER_SLUG}?lang=es`,
    button: 'letter',
  })
  // Someone who knows Kim's public share code but not the redirect's key learns nothing.
  const stranger = await nextAskAfterSigning(campaigns.petition, 'en', {
    code: kim.refCode,
    k: 'x'.repeat(22),
  })
  expect(stranger).toMatchObject({ kind: 'campaign' })

  const after = await getLadderEditor(campaigns.petition.id)
  const shown = after!.conversion.map((s) => s.shownCount)
  expect(shown[0]! - shownBefore[0]!).toBe(2)
  expect(shown[1]! - shownBefore[1]!).toBe(1)
  // Taken within 7 days of signing: everyone above who wrote (ben, cai, ana, kim); donated: cai.
  expect(after!.conversion[0]).toMatchObject({ kind: 'campaign', taken: 4, followUps: 1 })
  expect(after!.conversion[1]).toMatchObject({ kind: 'donate', taken: 1, followUps: 1 })
  // No table holds who was shown what.
  const columns = await getSql()<{ name: string }[]>`
    select column_name as name from information_schema.columns where table_name = 'ladder_steps'`
  expect(columns.map((c) => c.name)).toContain('shown_count')
  expect(columns.map((c) => c.name)).not.toContain('supporter_id')
})
