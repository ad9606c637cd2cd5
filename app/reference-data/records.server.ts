import { z } from 'zod'
import type { Chamber, LegislatorRow, OfficeRow, ZipRow } from '#db/queries/reference-data'

// Parsing and validating the reference files into the rows Writ stores. Pure functions: every
// record is checked with Zod; a bad record becomes a BadRow and the good ones carry on. The row
// types belong to db/, which stores them; hence `.server`, as db/ stays out of the browser.

export type BadRow = { source: string; row: number; id?: string; error: string }

export const US_PHOTO_URL = (bioguide: string) =>
  `https://theunitedstates.io/images/congress/225x275/${bioguide}.jpg`

/** Seats that exist whether or not they are filled and that the ZIP file does not list. */
export const TERRITORY_DELEGATE_SEATS = ['GU', 'VI', 'AS', 'MP'] as const
export const NO_SENATORS = new Set(['DC', 'PR', 'GU', 'VI', 'AS', 'MP'])

export function houseOfficeId(state: string, district: string | number) {
  return `house/${state}-${Number(district)}`
}
export function senateOfficeId(state: string, senateClass: number) {
  return `senate/${state}/${senateClass}`
}
/** CWC MemberOffice codes (PRODUCT.md): H + state + 2-digit district; S + state + (class − 1). */
export function houseCwcCode(state: string, district: string | number) {
  return `H${state}${String(Number(district)).padStart(2, '0')}`
}
export function senateCwcCode(state: string, senateClass: number) {
  return `S${state}${senateClass - 1}`
}
export function stateOfficeId(chamber: Chamber, state: string, district: string, person: string) {
  return `${chamber}/${state}/${district}/${person}`
}

const stateCode = z.string().regex(/^[A-Z]{2}$/)
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}/)
const optText = z.string().trim().min(1).optional().catch(undefined)

const termSchema = z.object({
  type: z.enum(['sen', 'rep']),
  start: isoDay,
  end: isoDay,
  state: stateCode,
  district: z.number().int().min(0).max(60).optional(),
  class: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
  party: z.string().optional(),
  url: optText,
  phone: optText,
  contact_form: optText,
  address: optText,
})

const personSchema = z.object({
  id: z.looseObject({ bioguide: z.string().regex(/^[A-Z]\d{6}$/) }),
  name: z.looseObject({
    first: z.string().min(1),
    last: z.string().min(1),
    official_full: z.string().optional(),
    nickname: z.string().optional(),
    suffix: z.string().optional(),
  }),
  terms: z
    .array(termSchema)
    .min(1)
    .refine((terms) => {
      const t = terms.at(-1)
      if (!t) return true // min(1) reports it
      return t.type === 'rep' ? t.district !== undefined : t.class !== undefined
    }, 'the current term needs a district (rep) or a class (sen)'),
})

const districtOfficesSchema = z.array(
  z.object({ id: z.looseObject({ bioguide: z.string() }), offices: z.array(z.looseObject({})) }),
)
const socialSchema = z.array(
  z.object({ id: z.looseObject({ bioguide: z.string() }), social: z.looseObject({}) }),
)

export type CongressParse = {
  legislators: LegislatorRow[]
  offices: OfficeRow[]
  bad: BadRow[]
}

/** legislators-current.json (+ district offices and social media) → legislators and their seats. */
export function parseCongress(input: {
  roster: string
  districtOffices?: string
  social?: string
  sourceDate: string
}): CongressParse {
  const bad: BadRow[] = []
  const raw = JSON.parse(input.roster) as unknown
  if (!Array.isArray(raw)) throw new Error('legislators-current.json is not an array')

  const extraOffices = new Map<string, unknown[]>()
  if (input.districtOffices) {
    const parsed = districtOfficesSchema.safeParse(JSON.parse(input.districtOffices))
    if (!parsed.success)
      bad.push({ source: 'district-offices', row: 0, error: summarize(parsed.error) })
    else for (const p of parsed.data) extraOffices.set(p.id.bioguide, p.offices.map(camelize))
  }
  const socials = new Map<string, Record<string, unknown>>()
  if (input.social) {
    const parsed = socialSchema.safeParse(JSON.parse(input.social))
    if (!parsed.success)
      bad.push({ source: 'social-media', row: 0, error: summarize(parsed.error) })
    else
      for (const p of parsed.data)
        socials.set(p.id.bioguide, camelize(p.social) as Record<string, unknown>)
  }

  const legislators: LegislatorRow[] = []
  const offices: OfficeRow[] = []
  const seen = new Set<string>()
  raw.forEach((record, index) => {
    const parsed = personSchema.safeParse(record)
    if (!parsed.success) {
      bad.push({
        source: 'congress-legislators',
        row: index,
        id: (record as { id?: { bioguide?: string } })?.id?.bioguide,
        error: summarize(parsed.error),
      })
      return
    }
    const p = parsed.data
    const bioguide = p.id.bioguide
    const term = p.terms[p.terms.length - 1]
    // Every person in the current file holds the seat of their last term, whatever its end date
    // says (appointees such as Husted and Moody end on their special election's day).
    const officeId =
      term.type === 'rep'
        ? houseOfficeId(term.state, term.district!)
        : senateOfficeId(term.state, term.class!)
    if (seen.has(officeId)) {
      bad.push({
        source: 'congress-legislators',
        row: index,
        id: bioguide,
        error: `second holder for ${officeId}`,
      })
      return
    }
    seen.add(officeId)
    const first = p.name.nickname ?? p.name.first
    const last = p.name.last
    legislators.push({
      id: bioguide,
      source: 'congress-legislators',
      firstName: first,
      lastName: last,
      // official_full is missing for the newest members; build it from first/last then
      fullName: p.name.official_full ?? [first, last, p.name.suffix].filter(Boolean).join(' '),
      party: term.party ?? null,
      photoUrl: US_PHOTO_URL(bioguide),
      email: null,
      phone: term.phone ?? null,
      url: term.url ?? null,
      contactForm: term.contact_form ?? null,
      ids: camelize(p.id) as Record<string, unknown>,
      social: socials.get(bioguide) ?? {},
      districtOffices: extraOffices.get(bioguide) ?? [],
      sourceDate: input.sourceDate,
    })
    offices.push(
      term.type === 'rep'
        ? {
            id: officeId,
            chamber: 'house',
            state: term.state,
            district: String(term.district),
            senateClass: null,
            cwcCode: houseCwcCode(term.state, term.district!),
            holderId: bioguide,
            sourceDate: input.sourceDate,
          }
        : {
            id: officeId,
            chamber: 'senate',
            state: term.state,
            district: null,
            senateClass: term.class!,
            cwcCode: senateCwcCode(term.state, term.class!),
            holderId: bioguide,
            sourceDate: input.sourceDate,
          },
    )
  })
  return { legislators, offices, bad }
}

const zccdRow = z.object({
  state_abbr: stateCode,
  zcta: z.string().regex(/^\d{5}$/),
  cd: z.string().regex(/^\d{1,2}$/),
})

/** zccd.csv (state_fips,state_abbr,zcta,cd) → ZIP rows. No quoting in this file. */
export function parseZccd(text: string, sourceDate: string): { rows: ZipRow[]; bad: BadRow[] } {
  const lines = text.split(/\r?\n/)
  const header = lines[0].split(',').map((h) => h.trim())
  for (const col of ['state_abbr', 'zcta', 'cd']) {
    if (!header.includes(col)) throw new Error(`zccd.csv has no ${col} column`)
  }
  const rows: ZipRow[] = []
  const bad: BadRow[] = []
  const seen = new Set<string>()
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]
    if (!line.trim()) continue
    const cells = line.split(',')
    const record = Object.fromEntries(header.map((h, j) => [h, cells[j]?.trim() ?? '']))
    const parsed = zccdRow.safeParse(record)
    if (!parsed.success) {
      bad.push({
        source: 'zccd',
        row: i + 1,
        error: `${summarize(parsed.error)} in "${line.slice(0, 80)}"`,
      })
      continue
    }
    const district = String(Number(parsed.data.cd))
    const key = `${parsed.data.zcta}|${parsed.data.state_abbr}|${district}`
    if (seen.has(key)) continue
    seen.add(key)
    rows.push({ zcta: parsed.data.zcta, state: parsed.data.state_abbr, district, sourceDate })
  }
  return { rows, bad }
}

const osRole = z.looseObject({
  type: z.enum(['upper', 'lower', 'legislature']).or(z.string()),
  // non-legislative roles (e.g. a former mayoralty) have no district
  district: z.coerce.string().min(1).optional(),
  start_date: z.string().optional(),
  end_date: z.string().nullish(),
})
const osPerson = z.looseObject({
  id: z.string().regex(/^ocd-person\/[0-9a-f-]{36}$/),
  name: z.string().min(1),
  given_name: z.string().optional(),
  family_name: z.string().optional(),
  email: z.string().nullish(),
  image: z.string().nullish(),
  party: z.array(z.looseObject({ name: z.string(), end_date: z.string().nullish() })).default([]),
  roles: z.array(osRole).min(1),
  offices: z
    .array(z.looseObject({ classification: z.string().optional(), voice: z.string().nullish() }))
    .default([]),
  links: z.array(z.looseObject({ url: z.string() })).default([]),
  ids: z.record(z.string(), z.unknown()).default({}),
  _state: z.string().regex(/^[a-z]{2}$/),
})

const stateChambers: Record<string, Chamber> = {
  upper: 'state_upper',
  lower: 'state_lower',
  legislature: 'state_legislature',
}

/**
 * Open States people → legislators and one office per (person, current role). A role is current
 * when it has no end date or ends on or after the snapshot date (roles ending before the snapshot
 * linger in the data; see shared/data/README.md).
 */
export function parseOpenStates(
  records: unknown[],
  sourceDate: string,
): { legislators: LegislatorRow[]; offices: OfficeRow[]; bad: BadRow[] } {
  const legislators: LegislatorRow[] = []
  const offices: OfficeRow[] = []
  const bad: BadRow[] = []
  records.forEach((record, index) => {
    const parsed = osPerson.safeParse(record)
    if (!parsed.success) {
      bad.push({
        source: 'openstates',
        row: index,
        id: (record as { id?: string })?.id,
        error: summarize(parsed.error),
      })
      return
    }
    const p = parsed.data
    const state = p._state.toUpperCase()
    const current = p.roles.filter(
      (r): r is typeof r & { district: string } =>
        Boolean(stateChambers[r.type] && r.district) &&
        (!r.end_date || r.end_date.slice(0, 10) >= sourceDate),
    )
    if (!current.length) return // a former member: not an error, just not current
    const party = p.party.find((x) => !x.end_date)?.name ?? p.party[0]?.name ?? null
    const capitol = p.offices.find((o) => o.classification === 'capitol' && o.voice)
    const anyPhone = capitol ?? p.offices.find((o) => o.voice)
    const first = p.given_name?.trim() || p.name.split(' ')[0]
    const last = p.family_name?.trim() || p.name.split(' ').slice(1).join(' ') || p.name
    legislators.push({
      id: p.id,
      source: 'openstates',
      firstName: first,
      lastName: last,
      fullName: p.name,
      party,
      // pages are served over https and the CSP allows https images only
      photoUrl:
        p.image && /^https?:\/\//.test(p.image) ? p.image.replace(/^http:/, 'https:') : null,
      email: p.email && p.email.includes('@') ? p.email : null,
      phone: anyPhone?.voice ?? null,
      url: p.links[0]?.url ?? null,
      contactForm: null,
      ids: camelize(p.ids) as Record<string, unknown>,
      social: {},
      districtOffices: p.offices.map(camelize),
      sourceDate,
    })
    for (const role of current) {
      const chamber = stateChambers[role.type]
      offices.push({
        id: stateOfficeId(chamber, state, role.district, p.id),
        chamber,
        state,
        district: role.district,
        senateClass: null,
        cwcCode: null,
        holderId: p.id,
        sourceDate,
      })
    }
  })
  return { legislators, offices, bad }
}

/** Open States' per-state CSV (the public download) → records shaped like the people YAML. */
export function openStatesCsvToRecords(rows: Array<Record<string, string>>, state: string) {
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    given_name: r.given_name,
    family_name: r.family_name,
    email: r.email || null,
    image: r.image || null,
    party: r.current_party ? [{ name: r.current_party }] : [],
    roles: [{ type: r.current_chamber, district: r.current_district }],
    offices: [
      { classification: 'capitol', voice: r.capitol_voice || null, address: r.capitol_address },
      { classification: 'district', voice: r.district_voice || null, address: r.district_address },
    ],
    links: (r.links ?? '')
      .split(';')
      .filter(Boolean)
      .map((url) => ({ url })),
    ids: Object.fromEntries(
      ['twitter', 'facebook', 'instagram', 'youtube'].filter((k) => r[k]).map((k) => [k, r[k]]),
    ),
    _state: state.toLowerCase(),
  }))
}

/** A small RFC 4180 reader (quoted fields, doubled quotes, CRLF). */
export function parseCsv(text: string): Array<Record<string, string>> {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(cell)
      cell = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
    } else cell += c
  }
  if (cell || row.length) {
    row.push(cell)
    rows.push(row)
  }
  const [header, ...body] = rows
  return body
    .filter((r) => r.some((c) => c !== ''))
    .map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])))
}

/** snake_case keys → camelCase, deeply (the DB client camelCases JSON keys on read). */
export function camelize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelize)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [toCamel(k), camelize(v)]))
  }
  return value
}

// The same rule as postgres.camel, so stored keys survive a read unchanged.
function toCamel(key: string): string {
  let out = key[0] ?? ''
  for (let i = 1; i < key.length; i++) {
    out += key[i] === '_' && i + 1 < key.length ? key[++i].toUpperCase() : key[i]
  }
  return out
}

function summarize(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`)
    .join('; ')
}
