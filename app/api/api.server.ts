import { createHash, randomBytes } from 'node:crypto'
import { getServerT } from '#app/i18n/i18n.server'
import { isLocale } from '#app/i18n/config'
import { canonicalUrl, getCampaign } from '#app/campaigns/campaigns.server'
import { invalidateCachedPages } from '#app/campaigns/page-cache.server'
import { invalidateCampaignCounts } from '#app/campaigns/read-cache.server'
import { hashIp } from '#app/safety/client.server'
import { recordSignature } from '#app/signatures/signatures.server'
import { getSql, type Db, type Sql } from '#db/client'
import {
  deleteOldApiKeyUses,
  findApiCampaign,
  findApiPerson,
  findApiSignature,
  insertApiKey,
  listApiCampaigns,
  listApiDonations,
  listApiKeys,
  listApiLetters,
  listApiPeople,
  listApiSignatures,
  revokeApiKey,
  auditApiKeyUse,
  countApiKeyUse,
  type ApiCampaignRow,
  type ApiDonationRow,
  type ApiLetterRow,
  type ApiPersonRow,
  type ApiSignatureRow,
  type ListWindow,
  type Position,
} from '#db/queries/api'
import { insertAudit } from '#db/queries/organizers'
import {
  ListQuery,
  type CreateKeyInput,
  SignatureInput,
  UuidParam,
  type ApiOperation,
  type ApiScope,
} from './schemas'

// The REST API's domain side: keys, authentication, and each resource as JSON-ready objects.
// Takes typed input and returns outcomes; app/http/api.server.ts turns them into HTTP
// (docs/decisions/1000-rest-api.md).

// Keys --------------------------------------------------------------------------------------

const KEY_PREFIX = 'writ_'

function hashKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest()
}

/** Makes a key; the whole key is returned this once and only its sha256 is stored. */
export async function createApiKey(
  input: CreateKeyInput,
  by: { organizerId: string | null; via: 'admin' | 'cli' },
  sql: Db = getSql(),
): Promise<{ id: string; key: string; prefix: string }> {
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`
  const prefix = key.slice(0, KEY_PREFIX.length + 8)
  const id = await sql.begin(async (tx) => {
    const id = await insertApiKey(tx, {
      name: input.name,
      prefix,
      tokenHash: hashKey(key),
      scopes: input.scopes,
      rateLimitPerMinute: input.rateLimitPerMinute,
      createdBy: by.organizerId,
      createdVia: by.via,
    })
    await insertAudit(tx, {
      organizerId: by.organizerId,
      action: 'api_key.create',
      subjectType: 'api_key',
      subjectId: id,
      details: { name: input.name, scopes: input.scopes, via: by.via },
    })
    return id
  })
  return { id, key, prefix }
}

export function listKeys(sql: Sql = getSql()) {
  return listApiKeys(sql)
}

export async function revokeKey(id: string, organizerId: string, sql: Db = getSql()) {
  if (!UuidParam.safeParse(id).success) return false
  return sql.begin(async (tx) => {
    const ok = await revokeApiKey(tx, id, organizerId)
    if (ok) {
      await insertAudit(tx, {
        organizerId,
        action: 'api_key.revoke',
        subjectType: 'api_key',
        subjectId: id,
        details: {},
      })
    }
    return ok
  })
}

// Authentication ----------------------------------------------------------------------------

export type RateState = { limit: number; remaining: number; resetSeconds: number }

/**
 * A known key's use is audited in every case; the audit row is written while the request goes on
 * (its commit's WAL flush overlaps the work), and the answer waits for it.
 */
type Audited = { audited: Promise<void> }

export type AuthOutcome =
  | ({ kind: 'ok'; keyId: string; rate: RateState } & Audited)
  | { kind: 'unauthorized' }
  | ({ kind: 'forbidden'; scope: ApiScope; rate: RateState } & Audited)
  | ({ kind: 'limited'; rate: RateState } & Audited)

/**
 * Checks `Authorization: Bearer <key>` for `op`'s scope, records the use, and counts it against
 * the key's per-minute limit. Cookies are never looked at.
 */
export async function authenticate(
  authorization: string | null,
  request: { method: string; path: string; ip: string | null },
  op: Pick<ApiOperation, 'scope'>,
): Promise<AuthOutcome> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')
  const key = match?.[1]
  if (!key || !key.startsWith(KEY_PREFIX) || key.length > 200) return { kind: 'unauthorized' }
  const sql = getSql()
  const used = await countApiKeyUse(sql, hashKey(key))
  if (!used) return { kind: 'unauthorized' }
  const audited = auditApiKeyUse(sql, {
    keyId: used.id,
    method: request.method,
    path: request.path,
    ipHash: request.ip ? hashIp(request.ip) : null,
  })
  // settled by the caller; never an unhandled rejection in between
  audited.catch(() => {})
  const rate = {
    limit: used.rateLimitPerMinute,
    remaining: Math.max(0, used.rateLimitPerMinute - used.hits),
    resetSeconds: Math.max(1, used.resetSeconds),
  }
  if (used.hits > used.rateLimitPerMinute) return { kind: 'limited', rate, audited }
  if (!used.scopes.includes(op.scope)) return { kind: 'forbidden', scope: op.scope, rate, audited }
  return { kind: 'ok', keyId: used.id, rate, audited }
}

// Cursors and lists -------------------------------------------------------------------------

export type ListParams = { after: string | null; limit: number; updatedSince: Date | null }

export type Page<T> = { data: T[]; next: string | null }

export type QueryOutcome =
  | { kind: 'ok'; params: ListParams }
  | { kind: 'invalid'; errors: Array<{ pointer: string; detail: string }> }

export function parseListQuery(search: URLSearchParams): QueryOutcome {
  const parsed = ListQuery.safeParse(Object.fromEntries(search))
  if (!parsed.success) {
    return {
      kind: 'invalid',
      errors: parsed.error.issues.map((i) => ({
        pointer: `/${i.path.join('/') || (i.code === 'unrecognized_keys' ? i.keys.join(',') : '')}`,
        detail: i.message,
      })),
    }
  }
  const q = parsed.data
  return {
    kind: 'ok',
    params: {
      after: q.after ?? null,
      limit: q.limit,
      updatedSince: q.updated_since ? new Date(q.updated_since) : null,
    },
  }
}

function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

function decodePosition(cursor: string | null): Position | null | 'bad' {
  if (cursor === null) return null
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      typeof v[0] === 'string' &&
      !Number.isNaN(Date.parse(v[0].replace(' ', 'T'))) &&
      UuidParam.safeParse(v[1]).success
    ) {
      return { at: v[0], id: v[1] }
    }
  } catch {
    // not a cursor of ours
  }
  return 'bad'
}

function decodeId(cursor: string | null): string | null | 'bad' {
  if (cursor === null) return null
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'string' && /^\d{1,19}$/.test(v[0]))
      return v[0]
  } catch {
    // not a cursor of ours
  }
  return 'bad'
}

/** Rows come one more than the limit: the extra one says there is a next page. */
function pageOf<R, T>(rows: R[], limit: number, cursorOf: (row: R) => unknown, map: (row: R) => T) {
  const more = rows.length > limit
  const kept = more ? rows.slice(0, limit) : rows
  return {
    data: kept.map(map),
    next: more ? encodeCursor(cursorOf(kept[kept.length - 1])) : null,
  }
}

export type ListOutcome<T> =
  { kind: 'ok'; page: Page<T> } | { kind: 'bad-cursor' } | { kind: 'not-found' }

function window(params: ListParams): ListWindow | 'bad' {
  const after = decodePosition(params.after)
  if (after === 'bad') return 'bad'
  return { after, limit: params.limit, updatedSince: params.updatedSince }
}

const iso = (d: Date | string) => new Date(d).toISOString()
const isoOrNull = (d: Date | string | null) => (d === null ? null : iso(d))

// Resources ---------------------------------------------------------------------------------

function campaignJson(c: ApiCampaignRow) {
  return {
    id: c.id,
    slug: c.slug,
    kind: c.kind,
    status: c.status,
    title: c.headline,
    summary: c.summary,
    url: canonicalUrl(c.slug, isLocale(c.defaultLocale) ? c.defaultLocale : 'en'),
    goal: c.goal,
    default_locale: c.defaultLocale,
    locales: c.locales,
    signature_count: c.signatures,
    confirmed_signature_count: c.confirmedSignatures,
    created_at: iso(c.createdAt),
    updated_at: iso(c.updatedAt),
    published_at: isoOrNull(c.publishedAt),
    closed_at: isoOrNull(c.closedAt),
  }
}

function personJson(p: ApiPersonRow) {
  if (p.erasedAt) return { id: p.id, erased: true as const }
  return {
    id: p.id,
    given_name: p.firstName,
    family_name: p.lastName,
    email: p.email,
    city: p.city,
    state: p.state,
    postal_code: p.zip,
    locale: p.locale,
    email_consent: { list_opt_in: p.listOptIn, unsubscribed_at: isoOrNull(p.unsubscribedAt) },
    created_at: iso(p.createdAt),
    updated_at: iso(p.updatedAt),
  }
}

const personRef = (id: string, erased: boolean) => (erased ? { id, erased: true as const } : { id })

function signatureJson(s: ApiSignatureRow) {
  const erased = s.personErased
  return {
    id: s.id,
    campaign_id: s.campaignId,
    person: personRef(s.personId, erased),
    comment: erased ? null : s.comment,
    anonymous: s.anonymous,
    locale: s.locale,
    source: s.source,
    confirmed: s.confirmedAt !== null,
    confirmed_at: isoOrNull(s.confirmedAt),
    created_at: iso(s.createdAt),
    updated_at: iso(s.updatedAt),
  }
}

function letterJson(l: ApiLetterRow) {
  return {
    id: l.id,
    campaign_id: l.campaignId,
    person: personRef(l.personId, l.personErased),
    signature_id: l.signatureId,
    subject: l.subject,
    body: l.body,
    locale: l.locale,
    held: l.held,
    deliveries: l.deliveries.map((d) => ({
      id: d.id,
      office_key: d.officeKey,
      office_name: d.officeName,
      office_title: d.officeTitle,
      chamber: d.chamber,
      state: d.state,
      district: d.district,
      channel: d.channel,
      status: d.status,
      attempts: d.attempts,
      created_at: iso(d.createdAt),
      updated_at: iso(d.updatedAt),
      finished_at: isoOrNull(d.finishedAt),
    })),
    created_at: iso(l.createdAt),
    updated_at: iso(l.updatedAt),
  }
}

function donationJson(d: ApiDonationRow) {
  return {
    id: d.id,
    campaign_id: d.campaignId,
    person: d.personId ? personRef(d.personId, d.personErased) : null,
    amount_cents: d.amountCents,
    fee_cover_cents: d.feeCoverCents,
    amount_refunded_cents: d.amountRefundedCents,
    currency: d.currency,
    recurring: d.recurring,
    status: d.status,
    source: d.source,
    created_at: iso(d.createdAt),
    updated_at: iso(d.updatedAt),
    paid_at: isoOrNull(d.paidAt),
    refunded_at: isoOrNull(d.refundedAt),
  }
}

const byPosition = (r: { cursor: string; id: string }) => [r.cursor, r.id]

export async function listCampaigns(params: ListParams): Promise<ListOutcome<unknown>> {
  const w = window(params)
  if (w === 'bad') return { kind: 'bad-cursor' }
  const rows = await listApiCampaigns(getSql(), w)
  return { kind: 'ok', page: pageOf(rows, w.limit, byPosition, campaignJson) }
}

export async function getCampaignById(id: string) {
  if (!UuidParam.safeParse(id).success) return undefined
  const row = await findApiCampaign(getSql(), id)
  return row && campaignJson(row)
}

export async function listPeople(params: ListParams): Promise<ListOutcome<unknown>> {
  const w = window(params)
  if (w === 'bad') return { kind: 'bad-cursor' }
  const rows = await listApiPeople(getSql(), w)
  return { kind: 'ok', page: pageOf(rows, w.limit, byPosition, personJson) }
}

export async function getPersonById(id: string) {
  if (!UuidParam.safeParse(id).success) return undefined
  const row = await findApiPerson(getSql(), id)
  return row && personJson(row)
}

async function campaignExists(id: string) {
  return UuidParam.safeParse(id).success && Boolean(await findApiCampaign(getSql(), id))
}

export async function listSignatures(
  campaignId: string,
  params: ListParams,
): Promise<ListOutcome<unknown>> {
  const after = decodeId(params.after)
  if (after === 'bad') return { kind: 'bad-cursor' }
  if (!UuidParam.safeParse(campaignId).success) return { kind: 'not-found' }
  const rows = await listApiSignatures(getSql(), campaignId, {
    after,
    limit: params.limit,
    updatedSince: params.updatedSince,
  })
  // an empty first page may be an unknown campaign
  if (rows.length === 0 && !(await campaignExists(campaignId))) return { kind: 'not-found' }
  return { kind: 'ok', page: pageOf(rows, params.limit, (r) => [r.id], signatureJson) }
}

export async function listLetters(
  campaignId: string,
  params: ListParams,
): Promise<ListOutcome<unknown>> {
  const w = window(params)
  if (w === 'bad') return { kind: 'bad-cursor' }
  if (!UuidParam.safeParse(campaignId).success) return { kind: 'not-found' }
  const rows = await listApiLetters(getSql(), campaignId, w)
  if (rows.length === 0 && !(await campaignExists(campaignId))) return { kind: 'not-found' }
  return { kind: 'ok', page: pageOf(rows, w.limit, byPosition, letterJson) }
}

export async function listDonations(params: ListParams): Promise<ListOutcome<unknown>> {
  const w = window(params)
  if (w === 'bad') return { kind: 'bad-cursor' }
  const rows = await listApiDonations(getSql(), w)
  return { kind: 'ok', page: pageOf(rows, w.limit, byPosition, donationJson) }
}

// Writing a signature -----------------------------------------------------------------------

export type CreateSignatureOutcome =
  | { kind: 'created'; signature: ReturnType<typeof signatureJson> }
  | { kind: 'existing'; signature: ReturnType<typeof signatureJson> }
  | { kind: 'invalid'; errors: Array<{ pointer: string; detail: string }> }
  | { kind: 'not-found' }
  | { kind: 'closed' }
  | { kind: 'letter-campaign' }

/**
 * Records a signature from a partner's own form: the site form's schema, dedupe (a repeat
 * returns the existing signature) and confirmation email, through the same recordSignature.
 */
export async function createSignature(
  campaignId: string,
  body: unknown,
): Promise<CreateSignatureOutcome> {
  const parsed = SignatureInput.safeParse(body)
  if (!parsed.success) {
    const t = getServerT('en')
    return {
      kind: 'invalid',
      errors: parsed.error.issues.map((i) => ({
        pointer: `/${i.path.join('/')}`,
        // the form's messages are i18n keys
        detail: i.message.startsWith('errors.') ? t(i.message) : i.message,
      })),
    }
  }
  const input = parsed.data
  if (!UuidParam.safeParse(campaignId).success) return { kind: 'not-found' }
  const sql = getSql()
  const found = await findApiCampaign(sql, campaignId)
  if (!found || found.status === 'draft') return { kind: 'not-found' }
  if (found.kind !== 'petition') return { kind: 'letter-campaign' }
  if (found.status !== 'live') return { kind: 'closed' }
  const locale = input.locale ?? (isLocale(found.defaultLocale) ? found.defaultLocale : 'en')
  const campaign = await getCampaign(found.slug, locale)
  if (!campaign) return { kind: 'not-found' }
  // The signer's own IP is not known (the partner's server calls): the IP checks do not apply.
  const result = await sql.begin((tx) => recordSignature(tx, campaign, input, { locale, ip: null }))
  invalidateCampaignCounts(found.slug)
  invalidateCachedPages(found.slug)
  const row =
    result.status === 'signed'
      ? await findApiSignature(sql, campaignId, { id: result.signatureId })
      : await findApiSignature(sql, campaignId, { email: input.email })
  if (!row) return { kind: 'not-found' }
  return {
    kind: result.status === 'signed' ? 'created' : 'existing',
    signature: signatureJson(row),
  }
}

/** Every use of a key is audited; the trail is kept a year. */
export async function purgeOldApiKeyUses(sql: Db): Promise<void> {
  await deleteOldApiKeyUses(sql, 365)
}
