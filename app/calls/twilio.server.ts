import twilio from 'twilio'
import type RequestClientNs from 'twilio/lib/base/RequestClient'
import { getEnv } from '#app/utils/env.server'

// The organization's Twilio account, for patch-through calls (docs/decisions/1201-patch-through.md).
// Tests point the client at a local fake (server/fakes/twilio.ts) with TWILIO_API_BASE, which
// production refuses (app/utils/env.server.ts).

/** Patch-through is possible: the organization's Twilio account is configured. */
export function twilioConfigured(): boolean {
  const env = getEnv()
  return Boolean(env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && env.TWILIO_FROM_NUMBER)
}

/** Sends the library's requests to `base` instead of https://*.twilio.com. */
class RedirectingClient extends twilio.RequestClient {
  constructor(private readonly base: string) {
    super()
  }
  override request<TData>(opts: RequestClientNs.RequestOptions<TData>) {
    const url = new URL(opts.uri)
    const target = new URL(url.pathname + url.search, this.base)
    return super.request<TData>({ ...opts, uri: target.toString() })
  }
}

function client() {
  const env = getEnv()
  return twilio(env.TWILIO_ACCOUNT_SID!, env.TWILIO_AUTH_TOKEN!, {
    ...(env.TWILIO_API_BASE ? { httpClient: new RedirectingClient(env.TWILIO_API_BASE) } : {}),
  })
}

/** Places the call to the supporter's phone; Twilio fetches `url` for its TwiML. */
export async function placeCall(input: {
  to: string
  url: string
  statusCallback: string
}): Promise<{ sid: string }> {
  const call = await client().calls.create({
    to: input.to,
    from: getEnv().TWILIO_FROM_NUMBER!,
    url: input.url,
    method: 'POST',
    statusCallback: input.statusCallback,
    statusCallbackMethod: 'POST',
    statusCallbackEvent: ['completed'],
  })
  return { sid: call.sid }
}

/** Whether a callback carries a valid X-Twilio-Signature for the URL Twilio called. */
export function verifyTwilioSignature(
  signature: string | null,
  url: string,
  params: Record<string, string>,
): boolean {
  const token = getEnv().TWILIO_AUTH_TOKEN
  if (!token || !signature) return false
  return twilio.validateRequest(token, signature, url, params)
}

export const { VoiceResponse } = twilio.twiml
