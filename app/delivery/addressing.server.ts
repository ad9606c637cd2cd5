import { getServerT } from '#app/i18n/i18n.server'
import { isLocale } from '#app/i18n/config'
import type { Readdress, ReaddressContext } from '#db/queries/deliveries'
import { renderMergeFields, type MergeValues } from './merge-fields'

// Who a letter is addressed to, and which group's copy it carries (ADR 0904), rendered per office.
// Letters use it when a letter is written; the delivery engine uses it again when an office changed
// hands before the letter was sent (ADR 0905). It lives here, below letters, so both can.

/** The copy a delivery carries: the constituent letter, the officials' letter, or the thank-you. */
export type CopyGroup = 'constituent' | 'officials' | 'thanks'

export type GroupCopy = { subject: string; body: string }

/** A letter campaign's group copies in one language, and its thank-you list. */
export type LetterCopies = {
  /** the organization's letter to named officials; null: officials get the constituent letter */
  officials: GroupCopy | null
  /** the thank-you letter; null: nobody is thanked */
  thanks: GroupCopy | null
  /** bioguide ids of the legislators who get the thank-you copy (e.g. a bill's cosponsors) */
  thanksBioguides: string[]
}

export const NO_GROUP_COPIES: LetterCopies = { officials: null, thanks: null, thanksBioguides: [] }

/** The person a delivery is addressed to. */
export type Addressee = {
  /** e.g. "Cynthia Lummis", or an official's "Secretary of Homeland Security" */
  name: string
  /** e.g. "Senator" (in the letter's language) or "Secretary" */
  title: string
  lastName?: string | null
  /** the whole greeting, e.g. "Dear Senator Lummis" or "Dear Mr. or Madam Secretary" */
  salutation?: string | null
}

export type MergeConstituent = {
  firstName: string | null
  lastName: string | null
  city: string | null
  state: string | null
  zip: string | null
}

/**
 * "Senator Cynthia Lummis"; an official named by office ("Secretary of Homeland Security", title
 * "Secretary") is not titled twice.
 */
export function officeLabel(title: string, name: string): string {
  const t = title.trim()
  const n = name.trim()
  return !t || n.toLowerCase().startsWith(t.toLowerCase()) ? n : `${t} ${n}`
}

const localeOf = (locale: string) => (isLocale(locale) ? locale : 'en')

/** "Dear Senator Lummis" / "Estimado/a Senador(a) Lummis": how a letter greets a legislator. */
export function legislatorSalutation(locale: string, title: string, lastName: string): string {
  return getServerT(localeOf(locale))('letters:salutation', { title, name: lastName })
}

/** An official without a greeting of their own: "Dear Secretary of Homeland Security". */
export function officialSalutation(locale: string, name: string): string {
  return getServerT(localeOf(locale))('letters:salutationOfficial', { name })
}

/** A legislator's title in the letter's language ("Senator", "Representante" …). */
export function legislatorTitle(locale: string, chamber: string): string {
  return getServerT(localeOf(locale))(`letters:titles.${chamber}`)
}

/** Merge values for one office. */
export function mergeValuesForOffice(c: MergeConstituent, to: Addressee): MergeValues {
  const lastName = to.lastName?.trim() || (to.name.trim().split(/\s+/).at(-1) ?? to.name)
  return {
    firstName: c.firstName,
    lastName: c.lastName,
    fullName: `${c.firstName ?? ''} ${c.lastName ?? ''}`.trim(),
    city: c.city,
    state: c.state,
    zip: c.zip,
    targetName: to.name,
    targetTitle: to.title,
    targetLastName: lastName,
    // Without a salutation of its own, an official is greeted by name only: never "Secretary
    // Secretary of Homeland Security".
    salutation: to.salutation?.trim() || `Dear ${to.name}`,
  }
}

/**
 * Which copy an office gets: a named official the officials' letter, a legislator on the
 * thank-you list the thank-you letter, everyone else the constituent letter. A group without copy
 * falls back to the constituent letter.
 */
export function copyGroupFor(
  office: { official: boolean; holderId: string | null | undefined },
  copies: LetterCopies,
): CopyGroup {
  if (office.official) return copies.officials ? 'officials' : 'constituent'
  if (copies.thanks && office.holderId && copies.thanksBioguides.includes(office.holderId)) {
    return 'thanks'
  }
  return 'constituent'
}

/** The subject and body an office gets, merge fields rendered. */
export function renderForOffice(input: {
  group: CopyGroup
  /** the constituent letter as the writer sends it (their edit, or the suggestion) */
  constituentCopy: GroupCopy
  copies: LetterCopies
  constituent: MergeConstituent
  to: Addressee
}): GroupCopy {
  const template =
    input.group === 'officials'
      ? (input.copies.officials ?? input.constituentCopy)
      : input.group === 'thanks'
        ? (input.copies.thanks ?? input.constituentCopy)
        : input.constituentCopy
  const values = mergeValuesForOffice(input.constituent, input.to)
  return {
    subject: renderMergeFields(template.subject, values),
    body: renderMergeFields(template.body, values),
  }
}

/**
 * The delivery re-rendered for the seat's holder now (ADR 0905): their name, greeting and title
 * in the letter's language, and the group their copy comes from (a new holder on the thank-you
 * list is thanked; one who is not gets the writer's constituent letter).
 */
export function readdressedFor(
  ctx: ReaddressContext,
  before: { id: number; officeName: string; holderId: string | null },
): Omit<Readdress, 'channel'> {
  const title = legislatorTitle(ctx.locale, ctx.chamber)
  const copies: LetterCopies = {
    officials: null,
    thanks:
      ctx.thanksSubject && ctx.thanksBody
        ? { subject: ctx.thanksSubject, body: ctx.thanksBody }
        : null,
    thanksBioguides: ctx.thanks,
  }
  const group = copyGroupFor({ official: false, holderId: ctx.holderId }, copies)
  const text =
    ctx.letterSubject !== null && ctx.letterBody !== null
      ? renderForOffice({
          group,
          constituentCopy: { subject: ctx.letterSubject, body: ctx.letterBody },
          copies,
          constituent: ctx,
          to: {
            name: ctx.holderName,
            title,
            lastName: ctx.holderLastName,
            salutation: legislatorSalutation(ctx.locale, title, ctx.holderLastName),
          },
        })
      : null
  if (!text) throw new Error(`delivery ${before.id}: the letter's text is gone; cannot re-address`)
  return {
    id: before.id,
    holderId: ctx.holderId,
    officeName: ctx.holderName,
    cwcCode: ctx.cwcCode,
    email: ctx.holderEmail,
    copyGroup: group,
    subject: text.subject,
    body: text.body,
    evidence: {
      readdressed: {
        from: { id: before.holderId, name: before.officeName },
        to: { id: ctx.holderId, name: ctx.holderName },
      },
      copyGroup: group,
    },
  }
}
