import { parse as parseYaml } from 'yaml'
import type { CommitteeMemberRow, CommitteeRow } from '#db/queries/committees'
import type { BadRow } from './records.server'

// Congressional committees from congress-legislators' committees-current.yaml (committees with
// their subcommittees, whose thomas_id is a 2-character suffix of the parent's) and
// committee-membership-current.yaml (committee or subcommittee id -> members).

type RawCommittee = {
  type?: unknown
  name?: unknown
  thomas_id?: unknown
  url?: unknown
  subcommittees?: Array<{ name?: unknown; thomas_id?: unknown }>
}
type RawMember = {
  name?: unknown
  party?: unknown
  rank?: unknown
  title?: unknown
  bioguide?: unknown
}

const CHAMBERS = { house: 'house', senate: 'senate', joint: 'joint' } as const

export function parseCommittees(input: {
  committees: string
  membership: string
  sourceDate: string
}): { committees: CommitteeRow[]; members: CommitteeMemberRow[]; bad: BadRow[] } {
  const bad: BadRow[] = []
  const committees: CommitteeRow[] = []
  const raw = parseYaml(input.committees) as unknown
  if (!Array.isArray(raw)) throw new Error('committees-current.yaml is not a list')
  for (const [i, c] of (raw as RawCommittee[]).entries()) {
    const chamber = CHAMBERS[String(c.type) as keyof typeof CHAMBERS]
    const id = typeof c.thomas_id === 'string' ? c.thomas_id : ''
    if (!chamber || !/^[A-Z]{4}$/.test(id) || typeof c.name !== 'string') {
      bad.push({
        source: 'committees-current.yaml',
        row: i,
        error: 'committee without type, id or name',
      })
      continue
    }
    committees.push({
      id,
      chamber,
      name: c.name,
      parentId: null,
      url: typeof c.url === 'string' ? c.url : null,
      sourceDate: input.sourceDate,
    })
    for (const s of c.subcommittees ?? []) {
      const suffix = String(s.thomas_id ?? '')
      if (!/^[0-9A-Z]{2}$/.test(suffix) || typeof s.name !== 'string') {
        bad.push({ source: 'committees-current.yaml', row: i, id, error: 'bad subcommittee' })
        continue
      }
      committees.push({
        id: id + suffix,
        chamber,
        name: s.name,
        parentId: id,
        url: null,
        sourceDate: input.sourceDate,
      })
    }
  }

  const known = new Set(committees.map((c) => c.id))
  const members: CommitteeMemberRow[] = []
  const membership = parseYaml(input.membership) as unknown
  if (!membership || typeof membership !== 'object' || Array.isArray(membership))
    throw new Error('committee-membership-current.yaml is not a map')
  for (const [committeeId, list] of Object.entries(membership as Record<string, RawMember[]>)) {
    if (!known.has(committeeId) || !Array.isArray(list)) {
      bad.push({
        source: 'committee-membership-current.yaml',
        row: 0,
        id: committeeId,
        error: 'members of an unknown committee',
      })
      continue
    }
    const seen = new Set<string>()
    for (const [i, m] of list.entries()) {
      const bioguide = typeof m.bioguide === 'string' ? m.bioguide : ''
      if (
        !/^[A-Z][0-9]{6}$/.test(bioguide) ||
        (m.party !== 'majority' && m.party !== 'minority') ||
        seen.has(bioguide)
      ) {
        bad.push({
          source: 'committee-membership-current.yaml',
          row: i,
          id: committeeId,
          error: `bad or repeated member ${bioguide || String(m.name)}`,
        })
        continue
      }
      seen.add(bioguide)
      members.push({
        committeeId,
        bioguide,
        name: typeof m.name === 'string' ? m.name : bioguide,
        party: m.party,
        rank: typeof m.rank === 'number' ? m.rank : null,
        title: typeof m.title === 'string' ? m.title : null,
        sourceDate: input.sourceDate,
      })
    }
  }
  return { committees, members, bad }
}

export type CommitteeMembershipChange = {
  committeeId: string
  committee: string
  bioguide: string
  name: string
}

export type CommitteeDiff = {
  committeesAdded: string[]
  committeesRemoved: string[]
  committeeMembersJoined: CommitteeMembershipChange[]
  committeeMembersLeft: CommitteeMembershipChange[]
}

/** What to write, and who joined or left which committee. Pure. */
export function planCommitteeChanges(input: {
  beforeCommittees: CommitteeRow[]
  afterCommittees: CommitteeRow[]
  beforeMembers: CommitteeMemberRow[]
  afterMembers: CommitteeMemberRow[]
}) {
  const key = (m: { committeeId: string; bioguide: string }) => `${m.committeeId}|${m.bioguide}`
  const same = (a: object, b: object) => stable(a) === stable(b)
  const beforeC = new Map(input.beforeCommittees.map((c) => [c.id, c]))
  const afterC = new Map(input.afterCommittees.map((c) => [c.id, c]))
  const beforeM = new Map(input.beforeMembers.map((m) => [key(m), m]))
  const afterM = new Map(input.afterMembers.map((m) => [key(m), m]))
  const committeeUpserts = input.afterCommittees.filter((c) => {
    const old = beforeC.get(c.id)
    return !old || !same(old, c)
  })
  const committeeDeletes = [...beforeC.keys()].filter((id) => !afterC.has(id))
  const memberUpserts = input.afterMembers.filter((m) => {
    const old = beforeM.get(key(m))
    return !old || !same(old, m)
  })
  const memberDeletes = input.beforeMembers.filter((m) => !afterM.has(key(m)))
  const nameOf = (id: string) => {
    const c = afterC.get(id) ?? beforeC.get(id)
    if (!c) return id
    const parent = c.parentId ? (afterC.get(c.parentId) ?? beforeC.get(c.parentId)) : undefined
    return parent ? `${parent.name}: ${c.name}` : c.name
  }
  const change = (m: CommitteeMemberRow): CommitteeMembershipChange => ({
    committeeId: m.committeeId,
    committee: nameOf(m.committeeId),
    bioguide: m.bioguide,
    name: m.name,
  })
  // The first committee import lists nothing (every membership would be "joined").
  const initial = input.beforeCommittees.length === 0
  const diff: CommitteeDiff = {
    committeesAdded: initial
      ? []
      : committeeUpserts.filter((c) => !beforeC.has(c.id)).map((c) => c.id),
    committeesRemoved: initial ? [] : committeeDeletes,
    committeeMembersJoined: initial
      ? []
      : input.afterMembers.filter((m) => !beforeM.has(key(m))).map(change),
    committeeMembersLeft: initial ? [] : memberDeletes.map(change),
  }
  return { committeeUpserts, committeeDeletes, memberUpserts, memberDeletes, diff }
}

function stable(value: object): string {
  return JSON.stringify(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)))
}
