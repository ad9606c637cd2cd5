import { getSql, type Db, type Sql } from '#db/client'
import {
  countActiveOwners,
  deleteSessionsOf,
  findOrganizerByEmail,
  findOrganizerById,
  insertAudit,
  insertOrganizer,
  listAudit,
  listOrganizers,
  lockOwnerChanges,
  setOrganizerDisabled,
  setOrganizerPassword,
  setOrganizerRole,
  type Organizer,
  type OrganizerRole,
} from '#db/queries/organizers'
import { passwordResetEmail } from '#emails/password-reset'
import { getServerT } from '#app/i18n/i18n.server'
import type { Locale } from '#app/i18n/config'
import { queueTemplateEmail } from '#app/mail/mail.server'
import { getEnv } from '#app/utils/env.server'
import {
  endLiveEmailTokens,
  issueEmailToken,
  peekEmailToken,
  redeemEmailToken,
} from '#app/tokens/email-tokens.server'
import { generatePassword, hashPassword, type CurrentOrganizer } from './auth.server'

export const RESET_TOKEN_MINUTES = 60
export const INVITE_TOKEN_MINUTES = 7 * 24 * 60

export class OrganizerExistsError extends Error {
  name = 'OrganizerExistsError'
}

/** Used by the CLI and the demo seed: creates an organizer with a known password. */
export async function createOrganizer(
  sql: Sql,
  input: { email: string; password: string; role: OrganizerRole; name?: string },
): Promise<Organizer> {
  const existing = await findOrganizerByEmail(sql, input.email)
  if (existing) throw new OrganizerExistsError(`An organizer with ${input.email} already exists.`)
  return insertOrganizer(sql, {
    email: input.email,
    name: input.name ?? '',
    role: input.role,
    passwordHash: await hashPassword(input.password),
  })
}

/** Emails a single-use link that sets a new password. Safe to call for unknown emails (no-op). */
export async function sendPasswordResetEmail(
  sql: Sql,
  organizer: { id: string; email: string },
  { locale, invited = false }: { locale: Locale; invited?: boolean },
) {
  const env = getEnv()
  const minutes = invited ? INVITE_TOKEN_MINUTES : RESET_TOKEN_MINUTES
  const token = await issueEmailToken(sql, {
    purpose: 'password_reset',
    subjectId: organizer.id,
    ttlMinutes: minutes,
  })
  const resetUrl = new URL(`/admin/reset-password/${token}`, env.PUBLIC_URL).toString()
  await queueTemplateEmail(
    sql,
    passwordResetEmail,
    {
      resetUrl,
      expiresInMinutes: minutes,
      invited,
      orgName: env.ORG_NAME,
      orgPostalAddress: env.ORG_POSTAL_ADDRESS,
    },
    {
      to: organizer.email,
      i18n: { t: getServerT(locale), locale },
      idempotencyKey: `password-reset:${token}`,
    },
  )
}

export async function requestPasswordReset(email: string, locale: Locale, db: Db = getSql()) {
  const organizer = await findOrganizerByEmail(db, email)
  if (!organizer || organizer.disabledAt) return
  await db.begin((tx) => sendPasswordResetEmail(tx, organizer, { locale }))
}

/** Whether the link is still usable (for the GET of the reset page). */
export async function isResetTokenValid(token: string, sql: Sql = getSql()): Promise<boolean> {
  return Boolean(await peekEmailToken(sql, token, 'password_reset'))
}

/**
 * Uses the token (once: the update claims it atomically), sets the password, ends the other reset
 * links sent before it and signs the organizer out everywhere, in one transaction. False when the
 * link is unknown, used or expired.
 */
export async function resetPassword(
  token: string,
  password: string,
  db: Db = getSql(),
): Promise<boolean> {
  const passwordHash = await hashPassword(password)
  return db.begin(async (tx) => {
    const organizerId = await redeemEmailToken(tx, token, 'password_reset')
    if (!organizerId) return false
    const organizer = await findOrganizerById(tx, organizerId)
    if (!organizer || organizer.disabledAt) return false
    await setOrganizerPassword(tx, organizer.id, passwordHash)
    await endLiveEmailTokens(tx, { purpose: 'password_reset', subjectId: organizer.id })
    await deleteSessionsOf(tx, organizer.id)
    await insertAudit(tx, {
      organizerId: organizer.id,
      action: 'organizer.password_reset',
      subjectType: 'organizer',
      subjectId: organizer.id,
    })
    return true
  })
}

// Owner's management ------------------------------------------------------------------------

export function getOrganizers() {
  return listOrganizers(getSql())
}

/** Invites an organizer: the account gets an unusable random password and an emailed link. */
export async function inviteOrganizer(
  actor: CurrentOrganizer,
  input: { email: string; name: string; role: OrganizerRole },
  locale: Locale,
  db: Db = getSql(),
): Promise<{ status: 'ok'; organizer: Organizer } | { status: 'exists' }> {
  const passwordHash = await hashPassword(generatePassword())
  return db.begin(async (tx) => {
    if (await findOrganizerByEmail(tx, input.email)) return { status: 'exists' as const }
    const organizer = await insertOrganizer(tx, { ...input, passwordHash })
    await sendPasswordResetEmail(tx, organizer, { locale, invited: true })
    await insertAudit(tx, {
      organizerId: actor.id,
      action: 'organizer.invite',
      subjectType: 'organizer',
      subjectId: organizer.id,
      details: { email: organizer.email, role: organizer.role },
    })
    return { status: 'ok' as const, organizer }
  })
}

export type ManageResult = 'ok' | 'not_found' | 'last_owner' | 'self'

/** Role change or disable/enable. The last active owner can be neither demoted nor disabled. */
export async function updateOrganizerAccess(
  actor: CurrentOrganizer,
  organizerId: string,
  change: { role: OrganizerRole } | { disabled: boolean },
  db: Db = getSql(),
): Promise<ManageResult> {
  return db.begin(async (tx) => {
    await lockOwnerChanges(tx)
    const target = await findOrganizerById(tx, organizerId)
    if (!target) return 'not_found'
    if (target.id === actor.id && 'disabled' in change) return 'self'
    const losesOwner =
      target.role === 'owner' &&
      !target.disabledAt &&
      (('role' in change && change.role !== 'owner') || ('disabled' in change && change.disabled))
    if (losesOwner && (await countActiveOwners(tx)) <= 1) return 'last_owner'
    if ('role' in change) {
      if (change.role === target.role) return 'ok'
      await setOrganizerRole(tx, target.id, change.role)
      await insertAudit(tx, {
        organizerId: actor.id,
        action: 'organizer.role_change',
        subjectType: 'organizer',
        subjectId: target.id,
        details: { email: target.email, from: target.role, to: change.role },
      })
    } else {
      await setOrganizerDisabled(tx, target.id, change.disabled)
      if (change.disabled) await deleteSessionsOf(tx, target.id)
      await insertAudit(tx, {
        organizerId: actor.id,
        action: change.disabled ? 'organizer.disable' : 'organizer.enable',
        subjectType: 'organizer',
        subjectId: target.id,
        details: { email: target.email },
      })
    }
    return 'ok'
  })
}

export const DEMO_ORGANIZER = {
  email: 'demo@writ.localhost',
  password: 'writ-demo-organizer',
  name: 'Demo Organizer',
  role: 'owner' as const,
}

/** Development only (npm start): an owner anyone running the demo can sign in as. Idempotent. */
export async function seedDemoOrganizer(sql: Sql): Promise<boolean> {
  if (getEnv().NODE_ENV === 'production') {
    throw new Error('The demo organizer is never created in production.')
  }
  if (await findOrganizerByEmail(sql, DEMO_ORGANIZER.email)) return false
  await createOrganizer(sql, DEMO_ORGANIZER)
  return true
}

export function getAuditLog(limit = 200) {
  return listAudit(getSql(), limit)
}
