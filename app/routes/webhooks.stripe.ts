import type { ActionFunctionArgs } from '@remix-run/node'
import { handleStripeWebhook } from '#app/donations/donations.server'

// Stripe's webhook endpoint (a resource route). The signature covers the exact bytes, so the raw
// body is read as text before anything parses it.
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== 'POST') {
    return new Response('Method not allowed', { status: 405, headers: { Allow: 'POST' } })
  }
  const payload = await request.text()
  const result = await handleStripeWebhook(payload, request.headers.get('stripe-signature'))
  const headers: Record<string, string> = { 'Content-Type': 'text/plain; charset=utf-8' }
  if (result.retryAfter) headers['Retry-After'] = String(result.retryAfter)
  return new Response(result.body, { status: result.status, headers })
}

export function loader() {
  return new Response('Method not allowed', { status: 405, headers: { Allow: 'POST' } })
}
