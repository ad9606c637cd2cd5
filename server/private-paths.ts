// Paths that carry a secret (a token in the path) or a person's address (in the query string).
// They are never cached by a browser or a proxy, and never written to the access log as they
// are. See docs/decisions/0005-security-baseline.md.

/** Each pattern's first group is the part kept; what follows is the token. */
const TOKEN_PATHS = [
  /^(\/letters\/)[^/?#]+/,
  /^(\/confirm\/)[^/?#]+/,
  /^(\/unsubscribe\/)[^/?#]+/,
  /^(\/donate\/manage\/)[^/?#]+/,
  /^(\/admin\/reset-password\/)[^/?#]+/,
  /^(\/c\/[^/?#]+\/sent\/)[^/?#]+/,
]

/** Query parameters that say nothing about a person; every other value is redacted. */
const SAFE_QUERY_KEYS = new Set(['lang', 'source', 'step', 'page', 'limit', 'after', 'kind'])

export function isNoStorePath(pathname: string): boolean {
  return (
    pathname === '/admin' ||
    pathname.startsWith('/admin/') ||
    TOKEN_PATHS.some((pattern) => pattern.test(pathname))
  )
}

/** The URL as the access log may show it: tokens and personal query values replaced. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?')
  let pathname = q === -1 ? url : url.slice(0, q)
  for (const pattern of TOKEN_PATHS) pathname = pathname.replace(pattern, '$1[token]')
  if (q === -1) return pathname
  const params = new URLSearchParams(url.slice(q + 1))
  const kept: string[] = []
  for (const [key, value] of params) {
    kept.push(
      `${encodeURIComponent(key)}=${SAFE_QUERY_KEYS.has(key) ? encodeURIComponent(value) : '[redacted]'}`,
    )
  }
  return kept.length ? `${pathname}?${kept.join('&')}` : pathname
}
