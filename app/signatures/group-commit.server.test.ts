import '#tests/setup/app-env'
import { describe, expect, test } from 'vitest'
import { useAppDatabase } from '#tests/setup/db'
import { newSignatureFixture } from '#tests/setup/signatures'

// Group commit (ADR 1302): concurrent signatures of the sign form share statements, and each
// signer still gets exactly their own row, email and token, or their own error.

const db = useAppDatabase()
const SLUG = 'stop-red-notice-detentions'

function form(email: string) {
  const fd = new FormData()
  for (const [k, v] of Object.entries({ firstName: 'Lía', lastName: 'Núñez', email, zip: '82001' }))
    fd.set(k, v)
  return fd
}

async function sign(email: string) {
  const { signFromForm } = await import('#app/signatures/signatures.server')
  // no client IP: no burst check, so the signature takes the one-statement, grouped path
  return signFromForm(SLUG, form(email), { requestLocale: 'en', ip: null })
}

describe('group commit', () => {
  test('60 concurrent signers share statements, and each gets their own signature, email and token', async () => {
    const emails = Array.from({ length: 60 }, (_, i) => `grouped-${i}@example.org`)
    const outcomes = await Promise.all(emails.map(sign))
    const rows = await db.sql<
      { email: string; id: string; refCode: string; tx: string; mails: number; tokens: number }[]
    >`
      select p.email, s.id::text, s.ref_code, s.xmin::text as tx,
             (select count(*)::int from outbound_emails o
              where o.to_address = p.email and o.template = 'confirm-signature') as mails,
             (select count(*)::int from email_tokens t
              where t.subject_id = s.id::text and t.purpose = 'confirm_signature') as tokens
      from signatures s join supporters p on p.id = s.supporter_id
      where p.email like 'grouped-%'`
    expect(rows).toHaveLength(60)
    const byEmail = new Map(rows.map((r) => [r.email, r]))
    outcomes.forEach((outcome, i) => {
      expect(outcome.kind).toBe('done')
      if (outcome.kind !== 'done' || outcome.result.status !== 'signed')
        throw new Error('not signed')
      const row = byEmail.get(emails[i]!)!
      // the answer is this signer's own row
      expect(outcome.result.signatureId).toBe(row.id)
      expect(outcome.result.refCode).toBe(row.refCode)
      expect(row.mails).toBe(1)
      expect(row.tokens).toBe(1)
    })
    // fewer transactions than signatures: statements were shared
    expect(new Set(rows.map((r) => r.tx)).size).toBeLessThan(60)
    // and the counter counted every one of them
    const [count] = await db.sql<{ counted: number; real: number }[]>`
      select (select sum(total)::int from signature_counts n join campaigns c on c.id = n.campaign_id
              where c.slug = ${SLUG}) as counted,
             (select count(*)::int from signatures s join campaigns c on c.id = s.campaign_id
              where c.slug = ${SLUG} and not s.held) as real`
    expect(count!.counted).toBe(count!.real)
  })

  test('the same address 30 times at once is one signature, one email and one token; the rest are repeats', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, i) => sign(i % 2 ? 'Same@Example.org' : ' same@example.org ')),
    )
    const statuses = outcomes.map((o) => (o.kind === 'done' ? o.result.status : o.kind))
    expect(statuses.filter((s) => s === 'signed')).toHaveLength(1)
    expect(statuses.filter((s) => s === 'already-signed')).toHaveLength(29)
    const [row] = await db.sql<{ signatures: number; mails: number; supporters: number }[]>`
      select (select count(*)::int from signatures s join supporters p on p.id = s.supporter_id
              where p.email = 'same@example.org') as signatures,
             (select count(*)::int from outbound_emails where to_address = 'same@example.org')
               as mails,
             (select count(*)::int from supporters where email = 'same@example.org') as supporters`
    expect(row).toEqual({ signatures: 1, mails: 1, supporters: 1 })
  })

  test('a signature that cannot be stored fails alone: the others in its statement are stored', async () => {
    const { insertSignatureGrouped } = await import('./group-commit.server')
    const [campaign] = await db.sql<{ id: string }[]>`select id from campaigns where slug = ${SLUG}`
    const signature = newSignatureFixture
    const results = await Promise.allSettled([
      insertSignatureGrouped(signature('alone-1@example.org', campaign!.id)),
      // no such campaign: the foreign key refuses it
      insertSignatureGrouped(
        signature('alone-bad@example.org', '00000000-0000-4000-8000-000000000000'),
      ),
      insertSignatureGrouped(signature('alone-2@example.org', campaign!.id)),
    ])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    const stored = await db.sql<{ email: string }[]>`
      select p.email from signatures s join supporters p on p.id = s.supporter_id
      where p.email like 'alone-%' order by p.email`
    expect(stored.map((r) => r.email)).toEqual(['alone-1@example.org', 'alone-2@example.org'])
  })

  test('a statement of 1, 7 or 40 signatures is one prepared statement: planned once per connection', async () => {
    const { insertSignatures } = await import('#db/queries/petitions')
    const { createSql } = await import('#db/client')
    const [campaign] = await db.sql<{ id: string }[]>`select id from campaigns where slug = ${SLUG}`
    // one connection, so that every statement is prepared on the connection asked below
    const one = createSql(db.url, { max: 1 })
    try {
      let k = 0
      for (const size of [1, 7, 40]) {
        const list = Array.from({ length: size }, () =>
          newSignatureFixture(`sized-${k++}@example.org`, campaign!.id),
        )
        const rows = await insertSignatures(one, list)
        expect(rows.filter(Boolean)).toHaveLength(size)
      }
      const prepared = await one<{ n: number }[]>`
        select count(*)::int as n from pg_prepared_statements
        where statement like '%insert into signatures%'
          and statement not like '%pg_prepared_statements%'`
      expect(prepared[0]!.n).toBe(1)
    } finally {
      await one.end()
    }
  })
})
