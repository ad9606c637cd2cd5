import { z } from 'zod'

// The campaign editor's one form (client-safe). Lists that repeat (facts, custom targets,
// donation amounts) are plain text, one item per line, so the form works without JavaScript.
// See docs/decisions/0501-campaign-editor-forms.md.

export const editorLocales = ['en', 'es'] as const
export type EditorLocale = (typeof editorLocales)[number]

/** Merge fields a letter template may use; the letters capability fills them per office. */
export const MERGE_FIELDS = [
  'firstName',
  'lastName',
  'city',
  'state',
  'zip',
  'targetName',
  'targetTitle',
  'salutation',
] as const

export type Fact = { text: string; sourceTitle: string; sourceUrl: string }
export type CustomTargetInput = {
  name: string
  title: string
  channel: 'email' | 'packet'
  email: string | null
  /** the whole greeting, e.g. "Dear Mr. or Madam Secretary" (ADR 0904) */
  salutation: string | null
}

const optionalText = (max: number) =>
  z.string().trim().max(max, { error: 'errors.tooLong' }).optional()

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === 'https:' || url.protocol === 'http:'
  } catch {
    return false
  }
}

/** "text | source title | https://url", one fact per line. */
export function parseFacts(text: string | undefined): Fact[] | null {
  const facts: Fact[] = []
  for (const line of (text ?? '').split(/\r?\n/)) {
    if (!line.trim()) continue
    const parts = line.split('|').map((p) => p.trim())
    if (parts.length !== 3 || !parts[0] || !parts[1] || !isHttpUrl(parts[2])) return null
    facts.push({ text: parts[0], sourceTitle: parts[1], sourceUrl: parts[2] })
  }
  return facts
}

export function formatFacts(facts: Fact[]): string {
  return facts.map((f) => `${f.text} | ${f.sourceTitle} | ${f.sourceUrl}`).join('\n')
}

const EMAIL = /^[^\s@|]+@[^\s@|]+\.[^\s@|]+$/

/**
 * "Name | Title | email | address@example.org" or "Name | Title | packet", one per line, each with
 * an optional salutation at the end: "… | Dear Mr. or Madam Secretary" (ADR 0904).
 */
export function parseCustomTargets(text: string | undefined): CustomTargetInput[] | null {
  const targets: CustomTargetInput[] = []
  for (const line of (text ?? '').split(/\r?\n/)) {
    if (!line.trim()) continue
    const [name, title, channel, ...rest] = line.split('|').map((p) => p.trim())
    if (!name || !title) return null
    const email = channel === 'email' ? rest.shift() : undefined
    const [salutation, ...extra] = rest
    if (extra.length || (salutation !== undefined && (!salutation || salutation.length > 200))) {
      return null
    }
    if (salutation?.includes('@')) return null
    if (channel === 'email' && email && EMAIL.test(email)) {
      targets.push({
        name,
        title,
        channel,
        email: email.toLowerCase(),
        salutation: salutation ?? null,
      })
    } else if (channel === 'packet') {
      targets.push({ name, title, channel, email: null, salutation: salutation ?? null })
    } else return null
  }
  return targets
}

export function formatCustomTargets(
  targets: Array<Omit<CustomTargetInput, 'salutation'> & { salutation?: string | null }>,
): string {
  return targets
    .map((t) =>
      [
        t.name,
        t.title,
        t.channel,
        ...(t.email ? [t.email] : []),
        ...(t.salutation ? [t.salutation] : []),
      ].join(' | '),
    )
    .join('\n')
}

/** Bioguide ids ("M001176"), separated by spaces, commas or lines; null when one is malformed. */
export function parseBioguides(text: string | undefined): string[] | null {
  const ids = (text ?? '')
    .split(/[\s,;]+/)
    .map((p) => p.trim().toUpperCase())
    .filter(Boolean)
  if (ids.some((id) => !/^[A-Z][0-9]{6}$/.test(id))) return null
  return [...new Set(ids)]
}

/** "H.R. 4829 | https://url": the companion bill in the other chamber; '' for none. */
export function parseCompanion(
  text: string | undefined,
): { type: string; number: number; url?: string } | null | undefined {
  if (!text?.trim()) return undefined
  const m = /^(.+?)\.?\s*(\d+)\s*(?:\|\s*(\S+))?$/.exec(text.trim())
  if (!m || (m[3] && !isHttpUrl(m[3]))) return null
  return { type: m[1].trim(), number: Number(m[2]), ...(m[3] ? { url: m[3] } : {}) }
}

export function formatCompanion(c: { type: string; number: number; url?: string } | undefined) {
  return c ? `${c.type}. ${c.number}${c.url ? ` | ${c.url}` : ''}` : ''
}

export function parseAmounts(text: string | undefined): number[] | null {
  const parts = (text ?? '')
    .split(/[,\s]+/)
    .map((p) => p.replace(/^\$/, ''))
    .filter(Boolean)
  if (!parts.length) return []
  const amounts = parts.map(Number)
  if (amounts.some((a) => !Number.isInteger(a) || a < 1 || a > 100_000)) return null
  return amounts
}

const copySchema = z.object({
  headline: optionalText(200),
  summary: optionalText(1000),
  story: optionalText(20_000),
  ask: optionalText(1000),
  facts: optionalText(20_000),
  thankYou: optionalText(2000),
  shareText: optionalText(500),
  letterSubject: optionalText(200),
  letterBody: optionalText(20_000),
  // the other groups' copy (ADR 0904): named officials, and the legislators on the thank-you list
  officialsSubject: optionalText(200),
  officialsBody: optionalText(20_000),
  thanksSubject: optionalText(200),
  thanksBody: optionalText(20_000),
})

/** Each group's subject and body fields in a locale's copy. */
export const LETTER_GROUP_FIELDS = [
  ['letterSubject', 'letterBody'],
  ['officialsSubject', 'officialsBody'],
  ['thanksSubject', 'thanksBody'],
] as const

const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean())

export const CampaignEditorSchema = z
  .object({
    slug: z
      .string({ error: 'errors.required' })
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9]([a-z0-9-]{0,78}[a-z0-9])?$/, { error: 'admin:errors.slug' }),
    kind: z.enum(['petition', 'letter', 'call'], { error: 'admin:errors.kind' }),
    goal: z.coerce
      .number({ error: 'admin:errors.goal' })
      .int({ error: 'admin:errors.goal' })
      .min(1, { error: 'admin:errors.goal' })
      .max(100_000_000, { error: 'admin:errors.goal' }),
    defaultLocale: z.enum(editorLocales, { error: 'errors.invalid' }),
    copy: z.object({ en: copySchema.default({}), es: copySchema.default({}) }),
    letterEditable: checkbox,
    letterRequiresConfirmation: checkbox,
    letterMaxLength: z.coerce
      .number({ error: 'admin:errors.letterMaxLength' })
      .int({ error: 'admin:errors.letterMaxLength' })
      .min(100, { error: 'admin:errors.letterMaxLength' })
      .max(20_000, { error: 'admin:errors.letterMaxLength' })
      .default(5000),
    cwcTopic: optionalText(100),
    billCongress: z.coerce
      .number({ error: 'admin:errors.billCongress' })
      .int({ error: 'admin:errors.billCongress' })
      .min(1, { error: 'admin:errors.billCongress' })
      .max(200, { error: 'admin:errors.billCongress' })
      .optional(),
    billType: optionalText(20),
    billNumber: z.coerce
      .number({ error: 'admin:errors.billNumber' })
      .int({ error: 'admin:errors.billNumber' })
      .min(1, { error: 'admin:errors.billNumber' })
      .optional(),
    billTitle: optionalText(300),
    billUrl: z.string().trim().refine(isHttpUrl, { error: 'admin:errors.url' }).optional(),
    billCompanion: optionalText(400),
    targetHouse: checkbox,
    targetSenate: checkbox,
    targetStateUpper: checkbox,
    targetStateLower: checkbox,
    customTargets: optionalText(20_000),
    // bioguide ids thanked instead of asked, e.g. a bill's cosponsors (ADR 0904)
    thanksList: optionalText(5000),
    // committee or subcommittee ids (a multiple select); see docs/decisions/0900-committee-targets.md
    committees: z.preprocess(
      (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
      z
        .array(z.string().regex(/^[A-Z]{4}[0-9A-Z]{0,2}$/, { error: 'errors.invalid' }))
        .max(20, { error: 'errors.invalid' }),
    ),
    committeeMode: z.enum(['mine', 'every'], { error: 'errors.invalid' }).default('mine'),
    donationEnabled: checkbox,
    donationAmounts: optionalText(200),
    donationMax: z.coerce
      .number({ error: 'admin:errors.donationMax' })
      .int({ error: 'admin:errors.donationMax' })
      .min(1, { error: 'admin:errors.donationMax' })
      .max(1_000_000, { error: 'admin:errors.donationMax' })
      .default(10_000),
    donationShowTotal: checkbox,
  })
  .superRefine((v, ctx) => {
    if (!v.copy[v.defaultLocale]?.headline) {
      ctx.addIssue({
        code: 'custom',
        path: ['copy', v.defaultLocale, 'headline'],
        message: 'admin:errors.headlineDefault',
      })
    }
    for (const locale of editorLocales) {
      const copy = v.copy[locale]
      if (!copy) continue
      const filled = Object.values(copy).some(Boolean)
      if (filled && !copy.headline) {
        ctx.addIssue({
          code: 'custom',
          path: ['copy', locale, 'headline'],
          message: 'admin:errors.headlineLocale',
        })
      }
      if (parseFacts(copy.facts) === null) {
        ctx.addIssue({
          code: 'custom',
          path: ['copy', locale, 'facts'],
          message: 'admin:errors.facts',
        })
      }
      for (const field of LETTER_GROUP_FIELDS.flat()) {
        const unknown = [...(copy[field] ?? '').matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)].some(
          (m) => !(MERGE_FIELDS as readonly string[]).includes(m[1]),
        )
        if (unknown) {
          ctx.addIssue({
            code: 'custom',
            path: ['copy', locale, field],
            message: 'admin:errors.mergeField',
          })
        }
      }
      if (v.kind === 'letter' && copy.headline && (!copy.letterSubject || !copy.letterBody)) {
        ctx.addIssue({
          code: 'custom',
          path: ['copy', locale, copy.letterSubject ? 'letterBody' : 'letterSubject'],
          message: 'admin:errors.letterRequired',
        })
      }
      if (copy.letterBody && copy.letterBody.length > v.letterMaxLength) {
        ctx.addIssue({
          code: 'custom',
          path: ['copy', locale, 'letterBody'],
          message: 'admin:errors.letterTooLong',
        })
      }
      // A letter naming officials needs their letter, and a thank-you list its letter, in every
      // language the campaign offers (ADR 0904).
      const groups = [
        ['officialsSubject', 'officialsBody', Boolean(parseCustomTargets(v.customTargets)?.length)],
        ['thanksSubject', 'thanksBody', Boolean(parseBioguides(v.thanksList)?.length)],
      ] as const
      for (const [subject, body, needed] of groups) {
        if (v.kind !== 'letter' || !copy.headline) continue
        if ((needed || copy[subject] || copy[body]) && (!copy[subject] || !copy[body])) {
          ctx.addIssue({
            code: 'custom',
            path: ['copy', locale, copy[subject] ? body : subject],
            message:
              subject === 'officialsSubject'
                ? 'admin:errors.officialsRequired'
                : 'admin:errors.thanksRequired',
          })
        }
      }
    }
    if (parseCustomTargets(v.customTargets) === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['customTargets'],
        message: 'admin:errors.customTargets',
      })
    }
    if (parseBioguides(v.thanksList) === null) {
      ctx.addIssue({ code: 'custom', path: ['thanksList'], message: 'admin:errors.thanksList' })
    }
    const amounts = parseAmounts(v.donationAmounts)
    if (amounts === null || amounts.some((a) => a > v.donationMax)) {
      ctx.addIssue({ code: 'custom', path: ['donationAmounts'], message: 'admin:errors.amounts' })
    }
    if (parseCompanion(v.billCompanion) === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['billCompanion'],
        message: 'admin:errors.billCompanion',
      })
    }
    // A constituent letter never goes to every member of a committee (no officials copy yet).
    if (v.committees.length && v.kind === 'letter' && v.committeeMode === 'every') {
      ctx.addIssue({
        code: 'custom',
        path: ['committeeMode'],
        message: 'admin:errors.committeeEvery',
      })
    }
    if (v.committees.length && v.kind === 'petition' && v.committeeMode === 'mine') {
      ctx.addIssue({
        code: 'custom',
        path: ['committeeMode'],
        message: 'admin:errors.committeeMine',
      })
    }
    if (
      v.committees.length &&
      v.kind === 'letter' &&
      v.committeeMode === 'mine' &&
      !v.targetHouse &&
      !v.targetSenate
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['committees'],
        message: 'admin:errors.committeeChambers',
      })
    }
    const bill = [v.billCongress, v.billType, v.billNumber]
    if (bill.some((b) => b !== undefined) && bill.some((b) => b === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['billNumber'], message: 'admin:errors.bill' })
    }
    if (
      v.kind === 'letter' &&
      !v.targetHouse &&
      !v.targetSenate &&
      !v.targetStateUpper &&
      !v.targetStateLower &&
      !parseCustomTargets(v.customTargets)?.length
    ) {
      ctx.addIssue({ code: 'custom', path: ['targetHouse'], message: 'admin:errors.noTargets' })
    }
  })

export type CampaignEditorInput = z.infer<typeof CampaignEditorSchema>

export const CampaignStatusSchema = z.object({
  intent: z.enum(['publish', 'close', 'reopen']),
})
