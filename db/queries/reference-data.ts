import type { Sql } from '../client'

// Reference data: legislators, the seats they hold, the ZIP crosswalk and the import log.

export type LegislatorRow = {
  id: string
  source: 'congress-legislators' | 'openstates'
  firstName: string
  lastName: string
  fullName: string
  party: string | null
  photoUrl: string | null
  email: string | null
  phone: string | null
  url: string | null
  contactForm: string | null
  ids: Record<string, unknown>
  social: Record<string, unknown>
  districtOffices: unknown[]
  sourceDate: string
}

export type Chamber = 'house' | 'senate' | 'state_upper' | 'state_lower' | 'state_legislature'

export type OfficeRow = {
  id: string
  chamber: Chamber
  state: string
  district: string | null
  senateClass: number | null
  cwcCode: string | null
  holderId: string | null
  sourceDate: string
}

export type ZipRow = { zcta: string; state: string; district: string; sourceDate: string }

const legislatorColumns = [
  'id',
  'source',
  'firstName',
  'lastName',
  'fullName',
  'party',
  'photoUrl',
  'email',
  'phone',
  'url',
  'contactForm',
  'ids',
  'social',
  'districtOffices',
  'sourceDate',
] as const
const officeColumns = [
  'id',
  'chamber',
  'state',
  'district',
  'senateClass',
  'cwcCode',
  'holderId',
  'sourceDate',
] as const

export async function selectLegislators(sql: Sql): Promise<LegislatorRow[]> {
  return sql<LegislatorRow[]>`
    select id, source, first_name, last_name, full_name, party, photo_url, email, phone, url,
           contact_form, ids, social, district_offices, source_date::text as source_date
    from legislators`
}

export async function selectOffices(sql: Sql): Promise<OfficeRow[]> {
  return sql<OfficeRow[]>`
    select id, chamber, state, district, senate_class, cwc_code, holder_id,
           source_date::text as source_date
    from offices`
}

export async function selectZipDistricts(sql: Sql): Promise<ZipRow[]> {
  return sql<ZipRow[]>`
    select zcta, state, district, source_date::text as source_date from zip_districts`
}

export async function countOffices(sql: Sql): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from offices`
  return row.n
}

/** Bulk upsert (multi-row inserts of `batch` rows). Returns the number written. */
export type BatchProgress = (done: number, total: number) => void

export async function upsertLegislators(
  sql: Sql,
  rows: LegislatorRow[],
  onBatch?: BatchProgress,
  batch = 1000,
) {
  for (let i = 0; i < rows.length; i += batch) {
    const chunk = rows.slice(i, i + batch).map((r) => ({
      ...r,
      ids: sql.json(r.ids as never),
      social: sql.json(r.social as never),
      districtOffices: sql.json(r.districtOffices as never),
    }))
    await sql`
      insert into legislators ${sql(chunk, ...legislatorColumns)}
      on conflict (id) do update set
        source = excluded.source, first_name = excluded.first_name,
        last_name = excluded.last_name, full_name = excluded.full_name, party = excluded.party,
        photo_url = excluded.photo_url, email = excluded.email, phone = excluded.phone,
        url = excluded.url, contact_form = excluded.contact_form, ids = excluded.ids,
        social = excluded.social, district_offices = excluded.district_offices,
        source_date = excluded.source_date, imported_at = now()`
    onBatch?.(Math.min(i + batch, rows.length), rows.length)
  }
  return rows.length
}

export async function upsertOffices(
  sql: Sql,
  rows: OfficeRow[],
  onBatch?: BatchProgress,
  batch = 2000,
) {
  for (let i = 0; i < rows.length; i += batch) {
    const chunk = rows.slice(i, i + batch)
    await sql`
      insert into offices ${sql(chunk, ...officeColumns)}
      on conflict (id) do update set
        chamber = excluded.chamber, state = excluded.state, district = excluded.district,
        senate_class = excluded.senate_class, cwc_code = excluded.cwc_code,
        holder_id = excluded.holder_id, source_date = excluded.source_date, imported_at = now()`
    onBatch?.(Math.min(i + batch, rows.length), rows.length)
  }
  return rows.length
}

export async function deleteOffices(sql: Sql, ids: string[]) {
  if (ids.length) await sql`delete from offices where id = any(${ids}::text[])`
}

export async function deleteLegislators(sql: Sql, ids: string[]) {
  if (ids.length) await sql`delete from legislators where id = any(${ids}::text[])`
}

export async function insertZipDistricts(
  sql: Sql,
  rows: ZipRow[],
  onBatch?: BatchProgress,
  batch = 5000,
) {
  for (let i = 0; i < rows.length; i += batch) {
    const chunk = rows.slice(i, i + batch)
    await sql`
      insert into zip_districts ${sql(chunk, 'zcta', 'state', 'district', 'sourceDate')}
      on conflict (zcta, state, district) do update set source_date = excluded.source_date`
    onBatch?.(Math.min(i + batch, rows.length), rows.length)
  }
}

export async function deleteZipDistricts(
  sql: Sql,
  rows: Array<Pick<ZipRow, 'zcta' | 'state' | 'district'>>,
) {
  if (!rows.length) return
  await sql`
    delete from zip_districts z
    using unnest(${rows.map((r) => r.zcta)}::text[], ${rows.map((r) => r.state)}::text[],
                 ${rows.map((r) => r.district)}::text[]) as d(zcta, state, district)
    where z.zcta = d.zcta and z.state = d.state and z.district = d.district`
}

export async function setZipSourceDate(sql: Sql, sourceDate: string) {
  const result = await sql`
    update zip_districts set source_date = ${sourceDate} where source_date <> ${sourceDate}`
  return result.count
}

export async function lockReferenceImport(sql: Sql) {
  await sql`select pg_advisory_xact_lock(hashtext('writ:reference-import'))`
}

export async function insertReferenceImport(
  sql: Sql,
  record: { source: string; startedAt: Date; counts: object; badRows: object[]; diff: object },
): Promise<number> {
  const [row] = await sql<{ id: number }[]>`
    insert into reference_imports (source, started_at, finished_at, counts, bad_rows, diff)
    values (${record.source}, ${record.startedAt}, now(), ${sql.json(record.counts as never)},
            ${sql.json(record.badRows as never)}, ${sql.json(record.diff as never)})
    returning id::int as id`
  return row.id
}

export type LookupOfficeRow = OfficeRow & {
  holderName: string | null
  firstName: string | null
  lastName: string | null
  party: string | null
  photoUrl: string | null
  email: string | null
  phone: string | null
  url: string | null
  contactForm: string | null
}

/** Every seat with its holder, for the in-memory lookup index. */
export async function selectOfficesWithHolders(sql: Sql): Promise<LookupOfficeRow[]> {
  return sql<LookupOfficeRow[]>`
    select o.id, o.chamber, o.state, o.district, o.senate_class, o.cwc_code, o.holder_id,
           o.source_date::text as source_date,
           l.full_name as holder_name, l.first_name, l.last_name, l.party, l.photo_url, l.email,
           l.phone, l.url, l.contact_form
    from offices o left join legislators l on l.id = o.holder_id`
}

export async function selectSourceDates(sql: Sql) {
  const [row] = await sql<
    { congress: string | null; openStates: string | null; zipDistricts: string | null }[]
  >`
    select
      (select max(source_date)::text from legislators where source = 'congress-legislators') as congress,
      (select max(source_date)::text from legislators where source = 'openstates') as open_states,
      (select max(source_date)::text from zip_districts) as zip_districts`
  return row
}

export async function selectLatestImportId(sql: Sql): Promise<number | null> {
  const [row] = await sql<{ id: number | null }[]>`
    select max(id)::int as id from reference_imports where finished_at is not null`
  return row.id
}
