import { z } from 'zod'

// The webhook endpoint form (browser and server), and the events an endpoint can subscribe to.
// db/queries/webhooks.ts writes them; webhooks.server.ts checks at compile time that the two
// lists agree.

export const WEBHOOK_EVENTS = [
  'signature.created',
  'signature.confirmed',
  'letter.created',
  'delivery.updated',
  'donation.succeeded',
  'donation.refunded',
  'subscription.canceled',
  'supporter.unsubscribed',
  'supporter.erased',
] as const
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number]

export const WebhookEndpointSchema = z.object({
  url: z.string({ error: 'errors.required' }).trim().max(2000),
  description: z.string().trim().max(200).optional(),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1, 'Choose at least one event.'),
})
