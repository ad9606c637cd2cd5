import { randomUUID } from 'node:crypto'
import type { Locale } from '#app/i18n/config'
import { getServerT } from '#app/i18n/i18n.server'
import { listFooter, listUnsubscribeHeaders } from '#app/mail/list-mail.server'
import { messageIdFor, queueEmail } from '#app/mail/mail.server'
import type { CurrentOrganizer } from '#app/organizers/auth.server'
import { unsubscribeUrl } from '#app/safety/unsubscribe.server'
import { getEnv } from '#app/utils/env.server'
import { getSql, type Db, type Sql } from '#db/client'
import { listCampaignsForAdmin } from '#db/queries/campaigns'
import {
  cancelMailing,
  countAudience,
  countRecentListMail,
  finishDrainedMailings,
  getMailing,
  getMailingStats,
  hasMailingWork,
  insertMailing,
  listMailings,
  lockMailingRelease,
  mailingAudience,
  scheduleMailing,
  startDueMailings,
  takePendingRecipients,
  updateMailingDraft,
  type Mailing,
  type MailingAudience,
  type MailingCopy,
} from '#db/queries/mailings'
import { insertAudit } from '#db/queries/organizers'
import { mailing as mailingTemplate } from '#emails/mailing'
import { renderEmail, type RenderedEmail } from '#emails/render'
import { markdownToSafeHtml } from './markdown.server'
import type { MailingInput } from './schema'

// Organizers' email to their consenting supporters (ADR 1100): compose, preview, test, send now
// or later, paced through the outbox, cancel, and per-mailing stats.

export type { Mailing, MailingStats } from '#db/queries/mailings'

/** The pacing window: at most MAIL_RATE_PER_MINUTE × 10 / 60 list emails enter the outbox per 10 s. */
export const PACING_WINDOW_SECONDS = 10
/** At most this many recipients are released in one pass (one transaction). */
const RELEASE_BATCH = 500

function toAudience(input: MailingInput): MailingAudience {
  return {
    campaignId: input.campaign === 'all' ? null : input.campaign,
    states: input.states,
    districts: input.districts,
    locales: input.locales,
  }
}

function toCopy(input: MailingInput): Partial<Record<Locale, MailingCopy>> {
  return {
    en: { subject: input.subjectEn, body: input.bodyEn },
    ...(input.subjectEs && input.bodyEs
      ? { es: { subject: input.subjectEs, body: input.bodyEs } }
      : {}),
  }
}

/** The copy a recipient gets: their language's, else English. */
function copyFor(m: Pick<Mailing, 'copy'>, locale: Locale): { locale: Locale; copy: MailingCopy } {
  const own = m.copy[locale]
  return own ? { locale, copy: own } : { locale: 'en', copy: m.copy.en! }
}

// The mail is rendered once per mailing and language, with this stand-in where the recipient's
// own unsubscribe link goes, which each copy then gets (rendering 50,000 times would cost more
// than sending). The stand-in's host is reserved (.invalid), so it can never be a real link.
const LINK_STAND_IN = 'https://unsubscribe.invalid/writ-recipient-link'

async function renderMailing(
  m: Pick<Mailing, 'copy'>,
  locale: Locale,
  link = LINK_STAND_IN,
): Promise<RenderedEmail> {
  const chosen = copyFor(m, locale)
  return renderEmail(
    mailingTemplate,
    {
      subject: chosen.copy.subject,
      bodyHtml: markdownToSafeHtml(chosen.copy.body),
      ...listFooter(link),
    },
    { t: getServerT(chosen.locale), locale: chosen.locale },
  )
}

function withLink(rendered: RenderedEmail, link: string): RenderedEmail {
  return {
    subject: rendered.subject,
    html: rendered.html.replaceAll(LINK_STAND_IN, link),
    text: rendered.text.replaceAll(LINK_STAND_IN, link),
  }
}

export type MailingPreview = Array<{ locale: Locale; subject: string; bodyHtml: string }>

export function previewMailing(m: Pick<Mailing, 'copy'>): MailingPreview {
  return (['en', 'es'] as const)
    .filter((l) => m.copy[l])
    .map((l) => ({
      locale: l,
      subject: m.copy[l]!.subject,
      bodyHtml: markdownToSafeHtml(m.copy[l]!.body),
    }))
}

export async function getMailingsIndex() {
  return { mailings: await listMailings(getSql()) }
}

/** The campaigns a mailing can go to, for the form's list. */
export async function getMailingCampaignOptions() {
  const campaigns = await listCampaignsForAdmin(getSql())
  return campaigns.map((c) => ({ id: c.id, slug: c.slug, headline: c.headline }))
}

export async function getMailingPage(id: string) {
  const sql = getSql()
  const m = await getMailing(sql, id)
  if (!m) return undefined
  const [stats, audienceCount, campaigns] = await Promise.all([
    getMailingStats(sql, id),
    m.status === 'draft' || m.status === 'scheduled'
      ? countAudience(sql, mailingAudience(m))
      : Promise.resolve(null),
    getMailingCampaignOptions(),
  ])
  return { mailing: m, stats, audienceCount, campaigns, preview: previewMailing(m) }
}

export async function createMailing(organizer: CurrentOrganizer, input: MailingInput) {
  return getSql().begin(async (tx) => {
    const id = await insertMailing(tx, {
      audience: toAudience(input),
      copy: toCopy(input),
      createdBy: organizer.id,
    })
    await insertAudit(tx, {
      organizerId: organizer.id,
      action: 'mailing.create',
      subjectType: 'mailing',
      subjectId: id,
    })
    return id
  })
}

export type MailingChange = { kind: 'ok' } | { kind: 'not_found' } | { kind: 'not_draft' }

export async function editMailing(
  organizer: CurrentOrganizer,
  id: string,
  input: MailingInput,
): Promise<MailingChange> {
  return getSql().begin(async (tx) => {
    const m = await getMailing(tx, id)
    if (!m) return { kind: 'not_found' }
    if (!(await updateMailingDraft(tx, id, { audience: toAudience(input), copy: toCopy(input) }))) {
      return { kind: 'not_draft' }
    }
    await insertAudit(tx, {
      organizerId: organizer.id,
      action: 'mailing.edit',
      subjectType: 'mailing',
      subjectId: id,
    })
    return { kind: 'ok' }
  })
}

/**
 * A test copy in each language the mailing has, to the organizer's own address only. Its
 * unsubscribe link is a stand-in that unsubscribes nobody.
 */
export async function sendTestMailing(
  organizer: CurrentOrganizer,
  id: string,
): Promise<{ kind: 'sent'; to: string; languages: number } | { kind: 'not_found' }> {
  return getSql().begin(async (tx) => {
    const m = await getMailing(tx, id)
    if (!m) return { kind: 'not_found' as const }
    const link = new URL('/unsubscribe/test-copy', getEnv().PUBLIC_URL).toString()
    const locales = (['en', 'es'] as const).filter((l) => m.copy[l])
    for (const locale of locales) {
      const rendered = await renderMailing(m, locale, link)
      await queueEmail(tx, {
        kind: 'transactional',
        template: 'mailing-test',
        to: organizer.email,
        ...rendered,
        subject: `[${getServerT(locale)('admin:mailings.testPrefix')}] ${rendered.subject}`,
        headers: listUnsubscribeHeaders(link),
        idempotencyKey: `mailing-test:${id}:${locale}:${randomUUID()}`,
      })
    }
    await insertAudit(tx, {
      organizerId: organizer.id,
      action: 'mailing.test',
      subjectType: 'mailing',
      subjectId: id,
      details: { languages: locales },
    })
    return { kind: 'sent' as const, to: organizer.email, languages: locales.length }
  })
}

export type SendOutcome =
  | { kind: 'scheduled'; at: Date | null; recipients: number }
  | { kind: 'not_found' }
  | { kind: 'not_draft' }
  | { kind: 'no_audience' }

/** Sends now (`at` null) or at `at`. Only a draft with an audience can be sent. */
export async function sendMailing(
  organizer: CurrentOrganizer,
  id: string,
  at: Date | null,
): Promise<SendOutcome> {
  return getSql().begin(async (tx) => {
    const m = await getMailing(tx, id)
    if (!m) return { kind: 'not_found' as const }
    if (m.status !== 'draft') return { kind: 'not_draft' as const }
    const recipients = await countAudience(tx, mailingAudience(m))
    if (recipients === 0) return { kind: 'no_audience' as const }
    if (!(await scheduleMailing(tx, id, at))) return { kind: 'not_draft' as const }
    await insertAudit(tx, {
      organizerId: organizer.id,
      action: at ? 'mailing.schedule' : 'mailing.send',
      subjectType: 'mailing',
      subjectId: id,
      details: { recipients, ...(at ? { at: at.toISOString() } : {}) },
    })
    return { kind: 'scheduled' as const, at, recipients }
  })
}

export async function cancelMailingSend(
  organizer: CurrentOrganizer,
  id: string,
): Promise<{ kind: 'canceled' } | { kind: 'not_found' } | { kind: 'not_cancelable' }> {
  return getSql().begin(async (tx) => {
    const m = await getMailing(tx, id)
    if (!m) return { kind: 'not_found' as const }
    if (!(await cancelMailing(tx, id))) return { kind: 'not_cancelable' as const }
    const stats = await getMailingStats(tx, id)
    await insertAudit(tx, {
      organizerId: organizer.id,
      action: 'mailing.cancel',
      subjectType: 'mailing',
      subjectId: id,
      details: { sent: stats.sent, canceled: stats.canceled },
    })
    return { kind: 'canceled' as const }
  })
}

/** How many list emails may enter the outbox now, within MAIL_RATE_PER_MINUTE. */
export async function listMailBudget(sql: Sql): Promise<number> {
  const perWindow = Math.max(
    1,
    Math.floor((getEnv().MAIL_RATE_PER_MINUTE * PACING_WINDOW_SECONDS) / 60),
  )
  return perWindow - (await countRecentListMail(sql, PACING_WINDOW_SECONDS))
}

/**
 * The worker's pass: starts mailings whose time has come, then releases pending recipients into
 * the outbox within the pacing budget, each in their language with their own unsubscribe link.
 * List mail is released a little at a time, so letters and receipts never queue behind a mailing.
 * Returns how many recipients it released.
 */
export async function releaseMailings(db: Db): Promise<number> {
  // One indexed read on an idle pass instead of a transaction.
  if (!(await hasMailingWork(db))) return 0
  return db.begin(async (tx) => {
    // One releaser at a time across workers: the budget is global.
    if (!(await lockMailingRelease(tx))) return 0
    await startDueMailings(tx)
    const budget = Math.min(RELEASE_BATCH, await listMailBudget(tx))
    if (budget <= 0) {
      await finishDrainedMailings(tx)
      return 0
    }
    const taken = await takePendingRecipients(tx, budget, (mailingId, supporterId) =>
      messageIdFor(`mailing:${mailingId}:${supporterId}`),
    )
    const rendered = new Map<string, Promise<RenderedEmail>>()
    const mailings = new Map<string, Promise<Mailing | undefined>>()
    for (const r of taken) {
      if (!r.mailable || !r.email) continue
      if (!mailings.has(r.mailingId)) mailings.set(r.mailingId, getMailing(tx, r.mailingId))
      const m = (await mailings.get(r.mailingId))!
      const locale = copyFor(m, r.locale === 'es' ? 'es' : 'en').locale
      const key = `${r.mailingId}:${locale}`
      if (!rendered.has(key)) rendered.set(key, renderMailing(m, locale))
      const link = unsubscribeUrl(r.supporterId)
      await queueEmail(tx, {
        kind: 'list',
        template: mailingTemplate.name,
        to: r.email,
        ...withLink(await rendered.get(key)!, link),
        headers: listUnsubscribeHeaders(link),
        supporterId: r.supporterId,
        idempotencyKey: `mailing:${r.mailingId}:${r.supporterId}`,
      })
    }
    await finishDrainedMailings(tx)
    return taken.length
  })
}
