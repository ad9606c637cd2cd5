/**
 * The address a per-email limit counts: lower case, no `+tag`, and no dots in a Gmail local part,
 * so a.b+1@gmail.com and ab@gmail.com are one mailbox, as they are to Gmail. Here, below every
 * capability, so that both the safety limits and the mail cap count the same mailbox.
 */
export function normalizeEmailForLimits(email: string): string {
  const trimmed = email.trim().toLowerCase()
  const at = trimmed.lastIndexOf('@')
  if (at < 1) return trimmed
  let local = trimmed.slice(0, at)
  let domain = trimmed.slice(at + 1)
  local = local.split('+')[0]
  if (domain === 'googlemail.com') domain = 'gmail.com'
  if (domain === 'gmail.com') local = local.replaceAll('.', '')
  return `${local}@${domain}`
}
