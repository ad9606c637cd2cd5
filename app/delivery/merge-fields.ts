// Merge fields in a letter template, e.g. "{{salutation}}," or "Dear {{targetTitle}} {{targetName}}".
// Client-safe, so the form can preview the letter. One pass: a value that itself contains "{{…}}" is
// not expanded. {{salutation}} is the whole greeting: "Dear Senator Lummis" for a legislator (in the
// letter's language), a named official's own (e.g. "Dear Mr. or Madam Secretary"; ADR 0904).

export const MERGE_FIELDS = [
  'firstName',
  'lastName',
  'fullName',
  'city',
  'state',
  'zip',
  'targetName',
  'targetTitle',
  'targetLastName',
  'salutation',
] as const
export type MergeField = (typeof MERGE_FIELDS)[number]
export type MergeValues = Partial<Record<MergeField, string | null | undefined>>

const FIELD = /\{\{\s*([A-Za-z]+)\s*\}\}/g

/** Replaces known fields; unknown ones stay as written so an organizer's typo is visible. */
export function renderMergeFields(template: string, values: MergeValues): string {
  return template.replace(FIELD, (whole, name: string) => {
    if (!(MERGE_FIELDS as readonly string[]).includes(name)) return whole
    return values[name as MergeField] ?? ''
  })
}
