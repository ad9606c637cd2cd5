import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { seedDemo } from '#db/seed'
import { letterCopyV1, petitionCopyV1 } from '#db/seed/red-notice-v1'
import { createTestDatabase, type TestDatabase } from '#tests/setup/db'
import { REFERENCE_DATA_DIR } from '#tests/setup/template-steps'

// The demo campaign's copy states only what shared/docs/PRODUCT.md ("The first campaign's
// facts", checked against primary sources) supports, and cites the exact pages it lists.

const product = readFileSync(path.join(REFERENCE_DATA_DIR, '..', 'docs', 'PRODUCT.md'), 'utf8')
const section = product.slice(
  product.indexOf("## The first campaign's facts"),
  product.indexOf('\n## ', product.indexOf("## The first campaign's facts") + 1),
)
const productUrls = new Set(
  [...section.matchAll(/https:\/\/[^\s)]+/g)].map((m) => m[0].replace(/[.,;]+$/, '')),
)

let db: TestDatabase & { drop(): Promise<void> }
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(async () => {
  await db?.drop()
})

type Row = {
  slug: string
  kind: string
  bill: {
    type: string
    number: number
    url?: string
    companion?: { type: string; number: number; url: string }
  }
  locale: 'en' | 'es'
  summary: string
  story: string
  ask: string
  facts: Array<{ text: string; sourceTitle: string; sourceUrl: string }>
  letterSubject: string | null
  letterBody: string | null
}

async function demoCopy() {
  return db.sql<Row[]>`
    select c.slug, c.kind, c.bill, cc.locale, cc.summary, cc.story, cc.ask, cc.facts,
           cc.letter_subject, cc.letter_body
      from campaigns c join campaign_copy cc on cc.campaign_id = c.id
     where c.slug in ('stop-red-notice-detentions', 'write-congress-red-notices')
     order by c.slug, cc.locale`
}

test('the section of PRODUCT.md lists the pages the copy may cite', () => {
  expect(productUrls.size).toBeGreaterThanOrEqual(10)
})

test('the seeded ask names S. 2525 / H.R. 4829 and asks to amend it, in both languages', async () => {
  const rows = await demoCopy()
  expect(rows).toHaveLength(4)
  for (const row of rows) {
    expect(row.ask).toContain('S. 2525 / H.R. 4829')
    expect(row.ask).toMatch(row.locale === 'en' ? /\bamend it\b/ : /\benmiénd/)
    expect(row.ask).toMatch(row.locale === 'en' ? /Cosponsor/ : /Copatrocinen/)
    if (row.kind === 'letter') {
      expect(row.letterSubject).toContain('S. 2525 / H.R. 4829')
      expect(row.letterBody).toContain('S. 2525 / H.R. 4829')
    }
  }
})

test('no sentence claims the bill already bars arrests or detention on a Red Notice', async () => {
  const rows = await demoCopy()
  const bill = /S\. 2525|H\.R\. 4829|Transnational Repression Policy Act|Represión Transnacional/
  const claim =
    /\b(pass|aprueben?|apruebe)\b|\blimits? into law\b|\b(bars?|prohibits?|limits?|prohíbe|limita)\b[^.]*\b(arrest|detain|detention|arrest|detener|detención)/i
  const negated = /\bno section\b|\bdoes not\b|\bno tiene\b|\bno aborda\b|\bamend|\benmien/i
  for (const row of rows) {
    const texts = [
      row.summary,
      row.story,
      row.ask,
      row.letterSubject ?? '',
      row.letterBody ?? '',
      ...row.facts.map((f) => f.text),
    ]
    for (const sentence of texts.flatMap((t) => t.split(/(?<=[.!?:])\s+/))) {
      if (bill.test(sentence) && !negated.test(sentence)) {
        expect(sentence, `${row.slug} ${row.locale}`).not.toMatch(claim)
      }
    }
  }
})

test('every fact links to an exact page listed in PRODUCT.md, never a search page', async () => {
  for (const row of await demoCopy()) {
    expect(row.facts.length).toBeGreaterThanOrEqual(6)
    for (const fact of row.facts) {
      expect(productUrls, fact.sourceTitle).toContain(fact.sourceUrl)
      expect(fact.sourceUrl).not.toMatch(/[?&]q=|\/search|\/library$/)
    }
  }
})

test("the story cites Washington Monthly and The Atlantic's report (Defense One)", async () => {
  for (const row of await demoCopy()) {
    expect(row.story).toContain(
      'https://washingtonmonthly.com/2018/07/30/putin-is-using-ice-to-target-russian-dissidents-in-the-u-s/',
    )
    expect(row.story).toContain(
      'https://www.defenseone.com/policy/2018/07/how-russia-persecutes-its-dissidents-using-us-courts/150136/',
    )
  }
})

test('the bill box shows S. 2525 and its House companion H.R. 4829, each with its page', async () => {
  for (const row of await demoCopy()) {
    expect(row.bill).toMatchObject({ type: 'S', number: 2525 })
    expect(productUrls).toContain(row.bill.url)
    expect(row.bill.companion).toMatchObject({ type: 'H.R', number: 4829 })
    expect(productUrls).toContain(row.bill.companion?.url)
  }
})

test('seeding again brings an unedited earlier demo up to date and keeps an edited one', async () => {
  // Put the earlier seed's copy back, as a database seeded before this version has it; then an
  // organizer edits the letter campaign's Spanish ask.
  for (const [slug, copy] of [
    ['stop-red-notice-detentions', petitionCopyV1],
    ['write-congress-red-notices', letterCopyV1],
  ] as const) {
    for (const locale of ['en', 'es'] as const) {
      const c = copy[locale]
      await db.sql`
        update campaign_copy set summary = ${c.summary}, story = ${c.story}, ask = ${c.ask},
               facts = ${db.sql.json(c.facts)}, letter_subject = ${c.letterSubject ?? null},
               letter_body = ${c.letterBody ?? null}, officials_subject = null,
               officials_body = null, thanks_subject = null, thanks_body = null
         where locale = ${locale}
           and campaign_id = (select id from campaigns where slug = ${slug})`
    }
  }
  await db.sql`
    update campaigns set bill = ${db.sql.json({
      congress: 119,
      type: 'S',
      number: 2525,
      title: 'Transnational Repression Policy Act',
      url: 'https://www.congress.gov/bill/119th-congress/senate-bill/2525',
    })}`
  // before the message groups (ADR 0904): no thank-you list, no salutation for the official
  await db.sql`update campaigns set target_config = target_config - 'thanks'`
  await db.sql`update custom_targets set salutation = null`
  await db.sql`
    update campaign_copy set ask = 'Nuestra propia petición.'
     where locale = 'es'
       and campaign_id = (select id from campaigns where slug = 'write-congress-red-notices')`

  expect(await seedDemo(db.sql)).toEqual([])

  const rows = await demoCopy()
  const edited = rows.find((r) => r.slug === 'write-congress-red-notices' && r.locale === 'es')!
  expect(edited.ask).toBe('Nuestra propia petición.')
  expect(edited.letterBody).toBe(letterCopyV1.es.letterBody)
  for (const row of rows) expect(row.bill.companion?.number).toBe(4829)
  for (const row of rows.filter((r) => r !== edited)) {
    expect(row.ask).toContain('S. 2525 / H.R. 4829')
    for (const fact of row.facts) expect(productUrls).toContain(fact.sourceUrl)
  }

  // the unedited English letter copy came up to date with its groups, list and salutation
  const [groups] = await db.sql<
    { officialsBody: string | null; thanks: string[]; salutation: string | null }[]
  >`
    select cc.officials_body, c.target_config -> 'thanks' as thanks, t.salutation
      from campaigns c join campaign_copy cc on cc.campaign_id = c.id and cc.locale = 'en'
      join custom_targets t on t.campaign_id = c.id
     where c.slug = 'write-congress-red-notices'`
  expect(groups!.officialsBody).toMatch(/^\{\{salutation\}\},/)
  expect(groups!.thanks).toEqual(['M001176', 'S001198', 'S000522', 'M000312'])
  expect(groups!.salutation).toBe('Dear Mr. or Madam Secretary')

  // Running it once more changes nothing.
  await seedDemo(db.sql)
  expect(await demoCopy()).toEqual(rows)
})
