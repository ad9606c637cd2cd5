import type { HeadersFunction } from '@remix-run/node'

/**
 * For routes whose action can answer 503 or 429 itself (not thrown): keeps the action's
 * Retry-After on the document response, which Remix would otherwise drop.
 */
export const keepRetryAfter: HeadersFunction = ({ actionHeaders, parentHeaders }) => {
  const headers = new Headers(parentHeaders)
  const retryAfter = actionHeaders.get('Retry-After')
  if (retryAfter) headers.set('Retry-After', retryAfter)
  return headers
}
