import type { Locale } from '#app/i18n/config'
import type { CampaignPage } from '#app/campaigns/campaigns.server'
import { recordSignature } from '#app/signatures/signatures.server'
import type { SignInput } from '#app/signatures/schema'
import { getSql, type Sql } from '#db/client'
import {
  createLetter,
  LetterError,
  resolveLetterText,
  type CreatedLetter,
  type DeliveryTarget,
  type LetterCampaignForWriting,
} from './letters.server'
import type { Constituent } from './schema'

// Sending a letter: the supporter's signature and the letter with one delivery per office, in one
// transaction (docs/decisions/0310-letter-flow.md).

export type LetterSubmission = {
  /** the public campaign the signature is recorded on */
  campaign: Pick<CampaignPage, 'id' | 'slug' | 'headline'>
  writing: LetterCampaignForWriting
  constituent: Constituent
  /** what the supporter typed; ignored unless the campaign lets them edit the letter */
  submitted: { subject?: string; message?: string }
  signer: SignInput
  targets: DeliveryTarget[]
  locale: Locale
  ip: string | null
}

export type SubmitLetterResult =
  { status: 'too-long' } | { status: 'already-signed' } | { status: 'sent'; letter: CreatedLetter }

/** Resolves the letter's text, then signs and creates the letter in one transaction. */
export async function sendLetter(input: LetterSubmission): Promise<SubmitLetterResult> {
  let text: ReturnType<typeof resolveLetterText>
  try {
    text = resolveLetterText({
      campaign: input.writing.campaign,
      suggested: input.writing.suggested,
      submitted: input.submitted,
    })
  } catch (error) {
    if (!(error instanceof LetterError)) throw error
    return { status: 'too-long' }
  }
  return getSql().begin((tx) => submitLetter(tx, input, text))
}

/**
 * Records the signature and, unless the supporter signed before (then nothing is written), the
 * letter and its deliveries, in the caller's transaction.
 */
export async function submitLetter(
  tx: Sql,
  input: LetterSubmission,
  text: { subject: string; body: string; edited: boolean },
): Promise<Exclude<SubmitLetterResult, { status: 'too-long' }>> {
  const { locale } = input
  const signed = await recordSignature(tx, input.campaign, input.signer, { locale, ip: input.ip })
  if (signed.status === 'already-signed') return { status: 'already-signed' }
  const letter = await createLetter(tx, {
    campaign: input.writing.campaign,
    supporterId: signed.supporterId,
    signatureId: Number(signed.signatureId),
    held: signed.held,
    constituent: input.constituent,
    subject: text.subject,
    body: text.body,
    edited: text.edited,
    locale,
    targets: input.targets,
    // officials and thank-you copies go as the organization wrote them (ADR 0904)
    copies: input.writing.copies,
  })
  return { status: 'sent', letter }
}
