import type { Sql } from '../client'

// Congressional committees and their members (reference data, imported with the roster).

export type CommitteeRow = {
  id: string
  chamber: 'house' | 'senate' | 'joint'
  name: string
  parentId: string | null
  url: string | null
  sourceDate: string
}

export type CommitteeMemberRow = {
  committeeId: string
  bioguide: string
  name: string
  party: 'majority' | 'minority'
  rank: number | null
  title: string | null
  sourceDate: string
}

export async function selectCommittees(sql: Sql): Promise<CommitteeRow[]> {
  return sql<CommitteeRow[]>`
    select id, chamber, name, parent_id, url, source_date::text as source_date from committees`
}

export async function selectCommitteeMembers(sql: Sql): Promise<CommitteeMemberRow[]> {
  return sql<CommitteeMemberRow[]>`
    select committee_id, bioguide, name, party, rank, title, source_date::text as source_date
    from committee_members`
}

export async function upsertCommittees(sql: Sql, rows: CommitteeRow[]): Promise<void> {
  // parents first, so that a new subcommittee's parent exists
  const ordered = [...rows].sort((a, b) => a.id.length - b.id.length)
  for (let i = 0; i < ordered.length; i += 500) {
    const batch = ordered.slice(i, i + 500)
    await sql`
      insert into committees ${sql(batch, 'id', 'chamber', 'name', 'parentId', 'url', 'sourceDate')}
      on conflict (id) do update set
        chamber = excluded.chamber, name = excluded.name, parent_id = excluded.parent_id,
        url = excluded.url, source_date = excluded.source_date`
  }
}

export async function deleteCommittees(sql: Sql, ids: string[]): Promise<void> {
  if (ids.length) await sql`delete from committees where id in ${sql(ids)}`
}

export async function upsertCommitteeMembers(sql: Sql, rows: CommitteeMemberRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    const batch = rows.slice(i, i + 1000)
    await sql`
      insert into committee_members ${sql(
        batch,
        'committeeId',
        'bioguide',
        'name',
        'party',
        'rank',
        'title',
        'sourceDate',
      )}
      on conflict (committee_id, bioguide) do update set
        name = excluded.name, party = excluded.party, rank = excluded.rank,
        title = excluded.title, source_date = excluded.source_date`
  }
}

export async function deleteCommitteeMembers(
  sql: Sql,
  keys: Array<{ committeeId: string; bioguide: string }>,
): Promise<void> {
  for (const k of keys) {
    await sql`
      delete from committee_members
       where committee_id = ${k.committeeId} and bioguide = ${k.bioguide}`
  }
}

export type CommitteeOption = {
  id: string
  chamber: 'house' | 'senate' | 'joint'
  name: string
  parentId: string | null
  parentName: string | null
}

/** Every committee and subcommittee, committees first and each followed by its subcommittees. */
export async function listCommitteeOptions(sql: Sql): Promise<CommitteeOption[]> {
  return sql<CommitteeOption[]>`
    select c.id, c.chamber, c.name, c.parent_id, p.name as parent_name
      from committees c left join committees p on p.id = c.parent_id
     order by c.chamber, coalesce(p.name, c.name), c.parent_id nulls first, c.name`
}

export type CommitteeLeader = {
  committeeId: string
  bioguide: string
  name: string
  party: 'majority' | 'minority'
  title: string | null
}

/**
 * Each committee's chair (the majority's rank 1) and ranking member (the minority's rank 1),
 * whatever title the file gives them ("Chair", "Chairman", "Ranking Member", "Vice Chairman").
 */
export async function selectCommitteeLeaders(
  sql: Sql,
  committeeIds: string[],
): Promise<CommitteeLeader[]> {
  if (!committeeIds.length) return []
  return sql<CommitteeLeader[]>`
    select committee_id, bioguide, name, party, title
      from committee_members
     where committee_id in ${sql(committeeIds)} and rank = 1
     order by committee_id, party`
}

/** The bioguide ids on any of these committees (subcommittee ids included as given). */
export async function selectCommitteeBioguides(
  sql: Sql,
  committeeIds: string[],
): Promise<string[]> {
  if (!committeeIds.length) return []
  const rows = await sql<{ bioguide: string }[]>`
    select distinct bioguide from committee_members where committee_id in ${sql(committeeIds)}`
  return rows.map((r) => r.bioguide)
}

export type CommitteeMemberOffice = {
  committeeId: string
  bioguide: string
  memberName: string
  officeId: string | null
}

/** Every member of these committees, with the federal seat each holds now (null: not seated). */
export async function selectCommitteeMemberOffices(
  sql: Sql,
  committeeIds: string[],
): Promise<CommitteeMemberOffice[]> {
  if (!committeeIds.length) return []
  return sql<CommitteeMemberOffice[]>`
    select m.committee_id, m.bioguide, m.name as member_name, o.id as office_id
      from committee_members m
      left join offices o on o.holder_id = m.bioguide and o.chamber in ('house', 'senate')
     where m.committee_id in ${sql(committeeIds)}
     order by m.committee_id, m.party, m.rank nulls last, m.name`
}
