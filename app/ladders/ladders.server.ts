import type { Locale } from '#app/i18n/config'
import { getServerT } from '#app/i18n/i18n.server'
import { queueListEmail } from '#app/mail/list-mail.server'
import type { CurrentOrganizer } from '#app/organizers/auth.server'
import { unsubscribeUrl } from '#app/safety/unsubscribe.server'
import { getEnv } from '#app/utils/env.server'
import { hmac, keyFor, verifyWithAnyKey } from '#app/utils/keys.server'
import { getSql, type Db } from '#db/client'
import { findCampaign, listCampaignsForAdmin } from '#db/queries/campaigns'
import {
  findSignatureByCode,
  getFollowUpHours,
  getStep,
  insertFollowUp,
  ladderConversion,
  listDueFollowUps,
  listLadderSteps,
  replaceLadder,
  takeNextStep,
  type LadderStep,
  type StepCopy,
} from '#db/queries/ladders'
import { countRecentListMail } from '#db/queries/mailings'
import { insertAudit } from '#db/queries/organizers'
import { ladderFollowUp } from '#emails/ladder-follow-up'
import type { LadderInput } from './schema'

// Ask ladders (ADR 1101): a campaign's ordered next asks. The thank-you and letter-sent pages show
// the first one the supporter has not done; one follow-up email per step per supporter goes out
// the campaign's follow_up_hours after they confirm.

export type { LadderStep, StepConversion } from '#db/queries/ladders'

/** What a page shows of a step: words in the page's language and where the button goes. */
export type NextAsk = {
  kind: LadderStep['kind']
  title: string
  text: string
  /** "share": the page's own share section */
  href: string
  /** the ladders:ask.* key for the button */
  button: string
}

function stepCopy(step: Pick<LadderStep, 'copy'>, locale: Locale): StepCopy {
  return step.copy[locale] ?? step.copy.en ?? { title: '', text: '' }
}

function buttonKey(step: Pick<LadderStep, 'kind' | 'targetKind'>): string {
  if (step.kind !== 'campaign') return step.kind
  return step.targetKind === 'petition' ||
    step.targetKind === 'letter' ||
    step.targetKind === 'call'
    ? step.targetKind
    : 'campaign'
}

function askFor(
  step: LadderStep,
  locale: Locale,
  where: { campaignSlug: string; donationEnabled: boolean },
): NextAsk {
  const copy = stepCopy(step, locale)
  const lang = locale === 'en' ? '' : `?lang=${locale}`
  const href =
    step.kind === 'campaign'
      ? `/c/${step.targetSlug}${lang}`
      : step.kind === 'donate'
        ? `${where.donationEnabled ? `/c/${where.campaignSlug}/donate` : '/donate'}${lang}`
        : '#share-title'
  return { kind: step.kind, title: copy.title, text: copy.text, href, button: buttonKey(step) }
}

/**
 * The thank-you page's `k`, added only by the confirm redirect (reached from the link emailed to
 * the signer): it proves the page's `code` belongs to whoever owns the mailbox. Share codes are
 * public, and the sign form takes anyone's email, so without it a stranger could read from the
 * asks what someone else has done (ADR 1101).
 */
export function askKey(code: string, key = keyFor('ladder-ask')): string {
  return hmac('ladder-ask', `ladder-ask:${code}`, key).toString('base64url').slice(0, 22)
}

function isAskKey(code: string, k: string | null | undefined): boolean {
  return Boolean(k) && verifyWithAnyKey('ladder-ask', k!, (key) => askKey(code, key))
}

/**
 * The thank-you page's next ask: for the signer behind `code` when `k` proves it, else the
 * ladder's first askable step. Undefined when the campaign has no ladder.
 */
export async function nextAskAfterSigning(
  campaign: { id: string; slug: string; donationEnabled: boolean },
  locale: Locale,
  proof: { code?: string; k?: string | null },
): Promise<NextAsk | undefined> {
  const sql = getSql()
  const signature =
    proof.code && isAskKey(proof.code, proof.k)
      ? await findSignatureByCode(sql, campaign.id, proof.code)
      : undefined
  const step = await takeNextStep(
    sql,
    campaign.id,
    signature ? { supporterId: signature.supporterId, signatureId: signature.id } : null,
  )
  return step
    ? askFor(step, locale, {
        campaignSlug: campaign.slug,
        donationEnabled: campaign.donationEnabled,
      })
    : undefined
}

/**
 * The letter-sent page's next ask: the ladder's first askable step. Whoever submits the letter
 * form reaches this page without proving they own the address they typed, so it shows nothing
 * that depends on that address's history; the follow-up email, which goes to the mailbox, does.
 */
export async function nextAskAfterLetter(
  campaign: { id: string; slug: string; donationEnabled: boolean },
  locale: Locale,
): Promise<NextAsk | undefined> {
  const step = await takeNextStep(getSql(), campaign.id, null)
  return step
    ? askFor(step, locale, {
        campaignSlug: campaign.slug,
        donationEnabled: campaign.donationEnabled,
      })
    : undefined
}

/** The dashboard's ladder section: each step's conversion. */
export function getLadderConversion(campaignId: string) {
  return ladderConversion(getSql(), campaignId)
}

export async function getLadderEditor(campaignId: string) {
  const sql = getSql()
  const campaign = await findCampaign(sql, campaignId)
  if (!campaign) return undefined
  const [steps, followUpHours, campaigns, conversion] = await Promise.all([
    listLadderSteps(sql, campaignId),
    getFollowUpHours(sql, campaignId),
    listCampaignsForAdmin(sql),
    ladderConversion(sql, campaignId),
  ])
  return {
    campaign: { id: campaign.id, slug: campaign.slug },
    steps,
    followUpHours: followUpHours ?? 24,
    targets: campaigns
      .filter((c) => c.id !== campaignId)
      .map((c) => ({ id: c.id, slug: c.slug, headline: c.headline, kind: c.kind })),
    conversion,
  }
}

export type SaveLadderResult = { kind: 'ok' } | { kind: 'not_found' } | { kind: 'self' }

export async function saveLadder(
  organizer: CurrentOrganizer,
  campaignId: string,
  input: LadderInput,
): Promise<SaveLadderResult> {
  const steps = input.steps
    .filter((s) => s.kind)
    .map((s) => ({
      id: s.id,
      kind: s.kind!,
      targetCampaignId: s.kind === 'campaign' ? (s.target ?? null) : null,
      copy: {
        en: { title: s.titleEn ?? '', text: s.textEn ?? '' },
        ...(s.titleEs ? { es: { title: s.titleEs, text: s.textEs ?? '' } } : {}),
      },
    }))
  if (steps.some((s) => s.targetCampaignId === campaignId)) return { kind: 'self' }
  return getSql().begin(async (tx) => {
    const campaign = await findCampaign(tx, campaignId, { forUpdate: true })
    if (!campaign) return { kind: 'not_found' as const }
    await replaceLadder(tx, campaignId, steps, input.followUpHours)
    await insertAudit(tx, {
      organizerId: organizer.id,
      action: 'campaign.ladder',
      subjectType: 'campaign',
      subjectId: campaignId,
      details: { steps: steps.map((s) => s.kind), followUpHours: input.followUpHours },
    })
    return { kind: 'ok' as const }
  })
}

/**
 * The worker's chore: one follow-up email per due supporter, for the first ask they have not done,
 * within the list-mail pace (MAIL_RATE_PER_MINUTE). Each is recorded in ladder_follow_ups in the
 * same transaction as its email, so it goes out at most once per step per supporter.
 */
export async function sendLadderFollowUps(db: Db): Promise<number> {
  const env = getEnv()
  const perWindow = Math.max(1, Math.floor((env.MAIL_RATE_PER_MINUTE * 10) / 60))
  const budget = Math.min(200, perWindow - (await countRecentListMail(db, 10)))
  if (budget <= 0) return 0
  const due = await listDueFollowUps(db, budget)
  let sent = 0
  const steps = new Map<string, Promise<LadderStep | undefined>>()
  for (const d of due) {
    if (!steps.has(d.stepId)) steps.set(d.stepId, getStep(db, d.stepId))
    const step = await steps.get(d.stepId)
    if (!step) continue
    const locale: Locale = d.locale === 'es' ? 'es' : 'en'
    const ask = askFor(step, locale, {
      campaignSlug: d.campaignSlug,
      donationEnabled: d.donationEnabled,
    })
    const actionUrl =
      step.kind === 'share'
        ? new URL(`/c/${d.campaignSlug}?ref=${encodeURIComponent(d.refCode)}`, env.PUBLIC_URL)
        : new URL(ask.href, env.PUBLIC_URL)
    const t = getServerT(locale)
    await db.begin(async (tx) => {
      if (!(await insertFollowUp(tx, d.stepId, d.supporterId))) return
      await queueListEmail(
        tx,
        ladderFollowUp,
        (footer) => ({
          title: ask.title,
          text: ask.text,
          actionUrl: actionUrl.toString(),
          actionLabel: t(`ladders:ask.${ask.button}`),
          ...footer,
        }),
        {
          supporter: { id: d.supporterId, email: d.email },
          unsubscribeUrl: unsubscribeUrl(d.supporterId),
          i18n: { t, locale },
          idempotencyKey: `ladder-follow-up:${d.stepId}:${d.supporterId}`,
        },
      )
      sent++
    })
  }
  return sent
}
