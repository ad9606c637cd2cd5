import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { getTOTPAuthUri, verifyTOTP } from '@epic-web/totp'
import QRCode from 'qrcode'
import { getSql, type Db, type Sql } from '#db/client'
import {
  claimRecoveryCode,
  claimTotpStep,
  clearTotp,
  clearTotpFailures,
  confirmTotpEnrolment,
  countUnusedRecoveryCodes,
  deleteExpiredSessions,
  findOrganizerById,
  findOrganizerTotp,
  insertAudit,
  recentTotpFailures,
  recordTotpFailure,
  replaceRecoveryCodes,
  setPendingTotpSecret,
} from '#db/queries/organizers'
import { getEnv } from '#app/utils/env.server'
import { keyFor, keysFor } from '#app/utils/keys.server'
import { hashToken } from '#app/tokens/email-tokens.server'
import {
  LOGIN_WINDOW_SECONDS,
  SESSION_IDLE_SECONDS,
  startSession,
  twoFactorRequiredFor,
  type CurrentOrganizer,
} from './auth.server'

// TOTP two-factor sign-in for organizers. See docs/decisions/0802-organizer-two-factor.md.

export const TOTP_PERIOD_SECONDS = 30
export const TOTP_DIGITS = 6
export const RECOVERY_CODE_COUNT = 10
/** Wrong second-step codes per organizer within LOGIN_WINDOW_SECONDS before it is locked. */
export const TOTP_MAX_FAILURES = 5
export const PENDING_LOGIN_SECONDS = 5 * 60

const TOTP = { period: TOTP_PERIOD_SECONDS, digits: TOTP_DIGITS, algorithm: 'SHA-1' } as const

// Secret at rest ----------------------------------------------------------------------------

// The 'totp' key derived from SESSION_SECRET (app/utils/keys.server.ts), so a leak of one derived
// key (or of a database dump) does not give the secret or the other keys. A secret encrypted
// before a rotation still decrypts under SESSION_SECRET_PREVIOUS.

const SECRET_FORMAT = 1

/** aes-256-gcm; the organizer id is the associated data, so a ciphertext moved to another row fails. */
export function encryptTotpSecret(organizerId: string, base32: string): Buffer {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', keyFor('totp'), iv)
  cipher.setAAD(Buffer.from(organizerId))
  const body = Buffer.concat([cipher.update(base32, 'utf8'), cipher.final()])
  return Buffer.concat([Buffer.from([SECRET_FORMAT]), iv, cipher.getAuthTag(), body])
}

export function decryptTotpSecret(organizerId: string, blob: Buffer): string | null {
  if (blob[0] !== SECRET_FORMAT || blob.length < 1 + 12 + 16) return null
  for (const key of keysFor('totp')) {
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(1, 13))
      decipher.setAAD(Buffer.from(organizerId))
      decipher.setAuthTag(blob.subarray(13, 29))
      return Buffer.concat([decipher.update(blob.subarray(29)), decipher.final()]).toString('utf8')
    } catch {
      // not this key (or not ours at all)
    }
  }
  return null
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

function base32(bytes: Buffer): string {
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31]
  return out
}

/** 160 bits, as RFC 4226 recommends (the library's own default is 80). */
function newTotpSecret(): string {
  return base32(randomBytes(20))
}

// Codes -------------------------------------------------------------------------------------

/** "abcde-fghij": 50 random bits, easy to read aloud and type. */
function newRecoveryCode(): string {
  const raw = base32(randomBytes(7)).slice(0, 10).toLowerCase()
  return `${raw.slice(0, 5)}-${raw.slice(5)}`
}

function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '')
}

function recoveryCodeHash(code: string): Buffer {
  return hashToken(`writ:recovery:${normalizeRecoveryCode(code)}`)
}

function currentStep(): number {
  return Math.floor(Date.now() / 1000 / TOTP_PERIOD_SECONDS)
}

/** The time step the code belongs to (this one or a neighbour, for clock drift), or null. */
async function matchingStep(secret: string, code: string): Promise<number | null> {
  const otp = code.replace(/\s/g, '')
  if (!/^\d{6}$/.test(otp)) return null
  const now = currentStep()
  const result = await verifyTOTP({ otp, secret, ...TOTP, window: 1 })
  return result ? now + result.delta : null
}

export type CodeCheck =
  | { status: 'ok'; usedRecoveryCode: boolean }
  | { status: 'invalid' }
  | { status: 'rate_limited'; retryAfter: number }

async function retryAfterFor(sql: Sql, organizerId: string): Promise<number | null> {
  const { count, oldest } = await recentTotpFailures(sql, organizerId, LOGIN_WINDOW_SECONDS)
  if (count < TOTP_MAX_FAILURES || !oldest) return null
  return Math.max(
    1,
    Math.ceil((oldest.getTime() + LOGIN_WINDOW_SECONDS * 1000 - Date.now()) / 1000),
  )
}

/**
 * A current TOTP code (each time step accepted once) or an unused recovery code (once). Wrong codes
 * count towards a per-organizer lock, like wrong passwords.
 */
export async function checkSecondFactor(
  organizerId: string,
  code: string,
  db: Db = getSql(),
): Promise<CodeCheck> {
  const retryAfter = await retryAfterFor(db, organizerId)
  if (retryAfter !== null) return { status: 'rate_limited', retryAfter }
  const totp = await findOrganizerTotp(db, organizerId)
  const secret =
    totp?.totpEnrolledAt && totp.totpSecret ? decryptTotpSecret(organizerId, totp.totpSecret) : null
  if (!secret) return { status: 'invalid' }

  const step = await matchingStep(secret, code)
  let ok = step !== null && (await claimTotpStep(db, organizerId, step))
  let usedRecoveryCode = false
  if (step === null && /^[a-z2-7]{10}$/.test(normalizeRecoveryCode(code))) {
    ok = await db.begin(async (tx) => {
      if (!(await claimRecoveryCode(tx, organizerId, recoveryCodeHash(code)))) return false
      await insertAudit(tx, {
        organizerId,
        action: 'organizer.recovery_code_used',
        subjectType: 'organizer',
        subjectId: organizerId,
        details: { left: await countUnusedRecoveryCodes(tx, organizerId) },
      })
      return true
    })
    usedRecoveryCode = ok
  }
  if (!ok) {
    await recordTotpFailure(db, organizerId)
    return { status: 'invalid' }
  }
  await clearTotpFailures(db, organizerId)
  return { status: 'ok', usedRecoveryCode }
}

// Enrolment ---------------------------------------------------------------------------------

export type TwoFactorState =
  | { status: 'enrolled'; recoveryCodesLeft: number; required: boolean }
  | { status: 'enrolling'; secret: string; qrSvg: string; required: boolean }

/** The enrolled state, or the pending secret (made on first visit) with its QR code. */
export async function getTwoFactorState(
  organizer: CurrentOrganizer,
  sql: Sql = getSql(),
): Promise<TwoFactorState> {
  const required = twoFactorRequiredFor(organizer.role)
  const totp = await findOrganizerTotp(sql, organizer.id)
  if (totp?.totpEnrolledAt) {
    return {
      status: 'enrolled',
      recoveryCodesLeft: await countUnusedRecoveryCodes(sql, organizer.id),
      required,
    }
  }
  let secret = totp?.totpSecret ? decryptTotpSecret(organizer.id, totp.totpSecret) : null
  if (!secret) {
    secret = newTotpSecret()
    await setPendingTotpSecret(sql, organizer.id, encryptTotpSecret(organizer.id, secret))
  }
  const uri = getTOTPAuthUri({
    ...TOTP,
    secret,
    accountName: organizer.email,
    issuer: getEnv().ORG_NAME,
  })
  const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
  return { status: 'enrolling', secret, qrSvg, required }
}

export type EnrolResult =
  { status: 'ok'; recoveryCodes: string[] } | { status: 'invalid' } | { status: 'already_enrolled' }

/** Confirms the pending secret with a current code; returns the recovery codes, shown once. */
export async function confirmTwoFactor(
  organizer: CurrentOrganizer,
  code: string,
  db: Db = getSql(),
): Promise<EnrolResult> {
  const totp = await findOrganizerTotp(db, organizer.id)
  if (totp?.totpEnrolledAt) return { status: 'already_enrolled' }
  const secret = totp?.totpSecret ? decryptTotpSecret(organizer.id, totp.totpSecret) : null
  const step = secret ? await matchingStep(secret, code) : null
  if (step === null) return { status: 'invalid' }
  const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode)
  const confirmed = await db.begin(async (tx) => {
    if (!(await confirmTotpEnrolment(tx, organizer.id, step))) return false
    await replaceRecoveryCodes(tx, organizer.id, recoveryCodes.map(recoveryCodeHash))
    await insertAudit(tx, {
      organizerId: organizer.id,
      action: 'organizer.two_factor_enrol',
      subjectType: 'organizer',
      subjectId: organizer.id,
    })
    return true
  })
  return confirmed ? { status: 'ok', recoveryCodes } : { status: 'already_enrolled' }
}

/** Turns 2FA off after a current code or a recovery code. Where it is required, enrol again. */
export async function disableTwoFactor(
  organizer: CurrentOrganizer,
  code: string,
  db: Db = getSql(),
): Promise<CodeCheck> {
  const check = await checkSecondFactor(organizer.id, code, db)
  if (check.status !== 'ok') return check
  await db.begin(async (tx) => {
    await clearTotp(tx, organizer.id)
    await insertAudit(tx, {
      organizerId: organizer.id,
      action: 'organizer.two_factor_disable',
      subjectType: 'organizer',
      subjectId: organizer.id,
    })
  })
  return check
}

// The second sign-in step -------------------------------------------------------------------

/** Who passed the password step and where to go next, as the pending-login cookie carries it. */
export type PendingLogin = { organizerId: string; redirectTo: string }

export type SecondStepResult =
  | { status: 'ok'; sessionToken: string; redirectTo: string }
  | { status: 'expired' }
  | { status: 'invalid' }
  | { status: 'rate_limited'; retryAfter: number }

/** Checks the code for the pending sign-in (null: none, or expired) and only then starts the session. */
export async function verifySecondStep(
  input: { pending: PendingLogin | null; code: string; userAgent: string | null },
  db: Db = getSql(),
): Promise<SecondStepResult> {
  const { pending } = input
  if (!pending) return { status: 'expired' }
  const organizer = await findOrganizerById(db, pending.organizerId)
  if (!organizer || organizer.disabledAt) return { status: 'expired' }
  const check = await checkSecondFactor(organizer.id, input.code, db)
  if (check.status !== 'ok') return check
  await deleteExpiredSessions(db, organizer.id, SESSION_IDLE_SECONDS)
  const sessionToken = await startSession(db, organizer.id, input.userAgent)
  return { status: 'ok', sessionToken, redirectTo: pending.redirectTo }
}
