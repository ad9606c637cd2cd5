import type { Sql } from '../client'

export type OrganizerRole = 'owner' | 'organizer' | 'viewer'

export type Organizer = {
  id: string
  email: string
  name: string
  role: OrganizerRole
  createdAt: Date
  disabledAt: Date | null
}

export type OrganizerWithHash = Organizer & { passwordHash: string }

export async function findOrganizerByEmail(
  sql: Sql,
  email: string,
): Promise<OrganizerWithHash | undefined> {
  const [row] = await sql<OrganizerWithHash[]>`
    select id, email, name, role, created_at, disabled_at, password_hash
    from organizers where email = ${email.trim().toLowerCase()}`
  return row
}

/** Deletes an account (sessions cascade; authored rows keep no author). True if one existed. */
export async function deleteOrganizerByEmail(sql: Sql, email: string): Promise<boolean> {
  const rows =
    await sql`delete from organizers where email = ${email.trim().toLowerCase()} returning id`
  return rows.length > 0
}

export async function findOrganizerById(sql: Sql, id: string): Promise<Organizer | undefined> {
  const [row] = await sql<Organizer[]>`
    select id, email, name, role, created_at, disabled_at from organizers where id = ${id}`
  return row
}

export async function listOrganizers(sql: Sql): Promise<Organizer[]> {
  return sql<Organizer[]>`
    select id, email, name, role, created_at, disabled_at from organizers order by created_at`
}

export async function insertOrganizer(
  sql: Sql,
  o: { email: string; name: string; role: OrganizerRole; passwordHash: string },
): Promise<Organizer> {
  const [row] = await sql<Organizer[]>`
    insert into organizers ${sql({
      email: o.email.trim().toLowerCase(),
      name: o.name,
      role: o.role,
      passwordHash: o.passwordHash,
    })}
    returning id, email, name, role, created_at, disabled_at`
  return row
}

export async function setOrganizerPassword(sql: Sql, id: string, passwordHash: string) {
  await sql`update organizers set password_hash = ${passwordHash} where id = ${id}`
}

export async function setOrganizerRole(sql: Sql, id: string, role: OrganizerRole) {
  await sql`update organizers set role = ${role} where id = ${id}`
}

export async function setOrganizerDisabled(sql: Sql, id: string, disabled: boolean) {
  await sql`
    update organizers set disabled_at = ${disabled ? sql`now()` : null} where id = ${id}`
}

export async function countActiveOwners(sql: Sql): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from organizers where role = 'owner' and disabled_at is null`
  return row.n
}

// Sessions ----------------------------------------------------------------------------------

export type SessionOrganizer = Organizer & { lastSeenAt: Date; sessionCreatedAt: Date }

export async function insertSession(
  sql: Sql,
  s: { idHash: Buffer; organizerId: string; expiresAt: Date; userAgent: string | null },
) {
  await sql`insert into organizer_sessions ${sql(s)}`
}

/** The session's organizer if the session is neither idle-expired, absolutely expired nor disabled. */
export async function findLiveSession(
  sql: Sql,
  idHash: Buffer,
  idleSeconds: number,
): Promise<SessionOrganizer | undefined> {
  const [row] = await sql<SessionOrganizer[]>`
    select o.id, o.email, o.name, o.role, o.created_at, o.disabled_at,
           s.last_seen_at, s.created_at as session_created_at
    from organizer_sessions s join organizers o on o.id = s.organizer_id
    where s.id_hash = ${idHash}
      and s.expires_at > now()
      and s.last_seen_at > now() - make_interval(secs => ${idleSeconds})
      and o.disabled_at is null`
  return row
}

export async function touchSession(sql: Sql, idHash: Buffer) {
  await sql`update organizer_sessions set last_seen_at = now() where id_hash = ${idHash}`
}

export async function deleteSession(sql: Sql, idHash: Buffer) {
  await sql`delete from organizer_sessions where id_hash = ${idHash}`
}

export async function deleteSessionsOf(sql: Sql, organizerId: string) {
  await sql`delete from organizer_sessions where organizer_id = ${organizerId}`
}

/** Sessions that can no longer be used, for one organizer (at each sign-in). */
export async function deleteExpiredSessions(sql: Sql, organizerId: string, idleSeconds: number) {
  await sql`
    delete from organizer_sessions
    where organizer_id = ${organizerId}
      and (expires_at < now() or last_seen_at < now() - make_interval(secs => ${idleSeconds}))`
}

// Rate limiting -----------------------------------------------------------------------------

export type FailureScope = 'ip' | 'ip_email' | 'reset_ip' | 'reset_email'

/** How many failures in the window, when the oldest of them leaves it, and the latest. */
export async function recentFailures(
  sql: Sql,
  scope: FailureScope,
  key: string,
  windowSeconds: number,
): Promise<{ count: number; oldest: Date | null; newest: Date | null }> {
  const [row] = await sql<{ count: number; oldest: Date | null; newest: Date | null }[]>`
    select count(*)::int as count, min(created_at) as oldest, max(created_at) as newest
    from organizer_login_failures
    where scope = ${scope} and key = ${key}
      and created_at > now() - make_interval(secs => ${windowSeconds})`
  return row
}

export async function recordFailure(sql: Sql, scope: FailureScope, key: string) {
  await sql`insert into organizer_login_failures ${sql({ scope, key })}`
}

export async function clearFailures(sql: Sql, scope: FailureScope, key: string) {
  await sql`delete from organizer_login_failures where scope = ${scope} and key = ${key}`
}

export async function pruneFailures(sql: Sql, olderThanSeconds: number) {
  await sql`
    delete from organizer_login_failures
    where created_at < now() - make_interval(secs => ${olderThanSeconds})`
}

// Audit -------------------------------------------------------------------------------------

export type AuditEntry = {
  organizerId: string | null
  action: string
  subjectType?: string | null
  subjectId?: string | null
  details?: Record<string, unknown>
}

export async function insertAudit(sql: Sql, entry: AuditEntry) {
  await sql`
    insert into audit_log ${sql({
      organizerId: entry.organizerId,
      action: entry.action,
      subjectType: entry.subjectType ?? null,
      subjectId: entry.subjectId ?? null,
      details: sql.json((entry.details ?? {}) as never),
    })}`
}

export type AuditRow = {
  id: number
  organizerEmail: string | null
  action: string
  subjectType: string | null
  subjectId: string | null
  details: Record<string, unknown>
  createdAt: Date
}

export async function listAudit(sql: Sql, limit = 100): Promise<AuditRow[]> {
  return sql<AuditRow[]>`
    select a.id, o.email as organizer_email, a.action, a.subject_type, a.subject_id, a.details,
           a.created_at
    from audit_log a left join organizers o on o.id = a.organizer_id
    order by a.created_at desc, a.id desc
    limit ${limit}`
}

/** Serializes owner changes until the transaction ends, so two owners cannot demote each other at once. */
export async function lockOwnerChanges(tx: Sql): Promise<void> {
  await tx`select pg_advisory_xact_lock(7020050)`
}

// Two-factor (TOTP) -------------------------------------------------------------------------

export type OrganizerTotp = {
  totpSecret: Buffer | null
  totpEnrolledAt: Date | null
  totpLastStep: string | null
}

export async function findOrganizerTotp(
  sql: Sql,
  organizerId: string,
): Promise<OrganizerTotp | undefined> {
  const [row] = await sql<OrganizerTotp[]>`
    select totp_secret, totp_enrolled_at, totp_last_step from organizers where id = ${organizerId}`
  return row
}

/** Starts (or restarts) an enrolment: the secret counts only once confirmed. */
export async function setPendingTotpSecret(sql: Sql, organizerId: string, secret: Buffer) {
  await sql`
    update organizers
    set totp_secret = ${secret}, totp_enrolled_at = null, totp_last_step = null
    where id = ${organizerId} and totp_enrolled_at is null`
}

export async function confirmTotpEnrolment(sql: Sql, organizerId: string, step: number) {
  const rows = await sql`
    update organizers set totp_enrolled_at = now(), totp_last_step = ${step}
    where id = ${organizerId} and totp_secret is not null and totp_enrolled_at is null
    returning id`
  return rows.length === 1
}

/** Claims a time step: false when this step (or a later one) was already used. */
export async function claimTotpStep(sql: Sql, organizerId: string, step: number) {
  const rows = await sql`
    update organizers set totp_last_step = ${step}
    where id = ${organizerId} and (totp_last_step is null or totp_last_step < ${step})
    returning id`
  return rows.length === 1
}

export async function clearTotp(sql: Sql, organizerId: string) {
  await sql`
    update organizers set totp_secret = null, totp_enrolled_at = null, totp_last_step = null
    where id = ${organizerId}`
  await sql`delete from organizer_recovery_codes where organizer_id = ${organizerId}`
}

export async function replaceRecoveryCodes(sql: Sql, organizerId: string, hashes: Buffer[]) {
  await sql`delete from organizer_recovery_codes where organizer_id = ${organizerId}`
  await sql`
    insert into organizer_recovery_codes ${sql(hashes.map((codeHash) => ({ organizerId, codeHash })))}`
}

/** Uses a recovery code once: false when unknown or already used. */
export async function claimRecoveryCode(sql: Sql, organizerId: string, codeHash: Buffer) {
  const rows = await sql`
    update organizer_recovery_codes set used_at = now()
    where organizer_id = ${organizerId} and code_hash = ${codeHash} and used_at is null
    returning id`
  return rows.length === 1
}

export async function countUnusedRecoveryCodes(sql: Sql, organizerId: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from organizer_recovery_codes
    where organizer_id = ${organizerId} and used_at is null`
  return row.n
}

export async function recentTotpFailures(sql: Sql, organizerId: string, windowSeconds: number) {
  const [row] = await sql<{ count: number; oldest: Date | null }[]>`
    select count(*)::int as count, min(created_at) as oldest
    from organizer_login_failures
    where scope = 'totp' and key = ${organizerId}
      and created_at > now() - make_interval(secs => ${windowSeconds})`
  return row
}

export async function recordTotpFailure(sql: Sql, organizerId: string) {
  await sql`insert into organizer_login_failures ${sql({ scope: 'totp', key: organizerId })}`
}

export async function clearTotpFailures(sql: Sql, organizerId: string) {
  await sql`delete from organizer_login_failures where scope = 'totp' and key = ${organizerId}`
}
