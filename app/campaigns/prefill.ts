// Deep links that prefill a campaign page's form with one person's details (ADR 0908). Such a
// page is that person's: it is never kept in the shared page cache nor by any other cache.

/**
 * The query parameters that carry a person's details into a form: the petition's name and ZIP
 * (app/signatures/prefill.ts) and the letter flow's address and letter
 * (app/routes/c.$slug/letter-steps.server.ts). `source`, the tracking fields and a letter's
 * `district` are the same for everyone a partner sends the link to, and stay cacheable.
 */
export const PERSONAL_PREFILL_PARAMS = [
  'firstName',
  'lastName',
  'zip',
  'street',
  'city',
  'subject',
  'message',
] as const

export function hasPersonalPrefill(url: URL): boolean {
  return PERSONAL_PREFILL_PARAMS.some((name) => url.searchParams.has(name))
}
