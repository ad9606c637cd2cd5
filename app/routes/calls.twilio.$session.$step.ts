import type { ActionFunctionArgs } from '@remix-run/node'
import { handleTwilioCallback } from '#app/calls/patch-through.server'
import { getEnv } from '#app/utils/env.server'

// Twilio's callbacks for a patch-through session: TwiML for 'intro' and 'next', the leg result
// at 'dialed', the call's end at 'status'. Every one must carry a valid X-Twilio-Signature over
// the public URL and the posted parameters; an unsigned or forged one gets 403.
export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== 'POST') {
    return new Response('Method not allowed', { status: 405, headers: { Allow: 'POST' } })
  }
  const form = new URLSearchParams(await request.text())
  const posted: Record<string, string> = {}
  for (const [k, v] of form) posted[k] = v
  const own = new URL(request.url)
  const result = await handleTwilioCallback({
    sessionId: params.session ?? '',
    step: params.step ?? '',
    url: `${getEnv().PUBLIC_URL}${own.pathname}${own.search}`,
    signature: request.headers.get('x-twilio-signature'),
    params: posted,
  })
  switch (result.status) {
    case 'forbidden':
      return new Response('Forbidden', { status: 403, headers: { 'Content-Type': 'text/plain' } })
    case 'not_found':
      return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } })
    case 'ok':
      return new Response(null, { status: 204 })
    case 'twiml':
      return new Response(result.body, {
        status: 200,
        headers: { 'Content-Type': 'text/xml; charset=utf-8', 'Cache-Control': 'no-store' },
      })
  }
}

export function loader() {
  return new Response('Method not allowed', { status: 405, headers: { Allow: 'POST' } })
}
