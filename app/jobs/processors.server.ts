import { endStalePatchSessions } from '#app/calls/patch-through.server'
import { runDeliveries } from '#app/delivery/delivery.server'
import { sweepReceipts } from '#app/delivery/receipts.server'
import { sendLadderFollowUps } from '#app/ladders/ladders.server'
import { expireUnconfirmedLetters } from '#app/letters/letters.server'
import { sendQueuedEmails } from '#app/mail/mail.server'
import {
  deliverReachedMilestones,
  runPetitionDeliveries,
} from '#app/petition-delivery/petition-delivery.server'
import { releaseMailings } from '#app/mailings/mailings.server'
import { foldCounterShards } from '#app/metrics/metrics.server'
import { purgeExpiredPersonalData } from '#app/privacy/retention.server'
import { deleteExpiredRateLimits } from '#app/safety/rate-limit.server'
import { deliverDueWebhooks, purgeOldWebhookMessages } from '#app/webhooks/webhooks.server'
import { purgeOldApiKeyUses } from '#app/api/api.server'
import type { Processor, RecurringJob } from './worker.server'

// Everything the worker runs, in one list: a capability that owns a queue or a chore adds a line
// here. Nothing registers itself on import.

/** Queue processors, polled in this order on every pass. */
export const processors: readonly Processor[] = [
  { name: 'email', runOnce: (sql, workerId) => sendQueuedEmails(sql, { workerId }) },
  { name: 'delivery', runOnce: (sql, workerId) => runDeliveries(sql, workerId) },
  { name: 'letter-receipts', runOnce: (sql) => sweepReceipts(sql) },
  // petition delivery rounds (ADR 0901)
  { name: 'petition-delivery', runOnce: (sql, workerId) => runPetitionDeliveries(sql, workerId) },
  // mailings enter the outbox at MAIL_RATE_PER_MINUTE (ADR 1100)
  { name: 'mailings', runOnce: (sql) => releaseMailings(sql) },
  // signed Standard Webhooks POSTs; WEBHOOK_RETRY_SCHEDULE (ADR 1001)
  { name: 'webhooks', runOnce: (sql, workerId) => deliverDueWebhooks(sql, workerId) },
]

/** Chores that run once per period across all workers (ADR 0800). */
export const recurring: readonly RecurringJob[] = [
  { name: 'rate-limit-cleanup', everySeconds: 600, run: deleteExpiredRateLimits },
  // counters and rollups are sharded per Postgres backend; folded back to one row per key (ADR 1301)
  { name: 'counter-shards-fold', everySeconds: 60, run: foldCounterShards },
  // RETENTION_ADDRESS_DAYS / RETENTION_MAIL_DAYS (ADR 0812)
  { name: 'retention-purge', everySeconds: 3600, run: (sql) => purgeExpiredPersonalData(sql) },
  { name: 'unconfirmed-letters-expiry', everySeconds: 3600, run: expireUnconfirmedLetters },
  // a petition whose confirmed count reached a milestone is delivered (ADR 0901)
  { name: 'petition-milestones', everySeconds: 60, run: deliverReachedMilestones },
  // one follow-up email per ladder step per supporter, hours after confirming (ADR 1101)
  { name: 'ladder-follow-ups', everySeconds: 60, run: sendLadderFollowUps },
  // delivered/failed webhooks after 30 days, the API's audit trail after a year (ADR 1000, 1001)
  { name: 'webhook-messages-purge', everySeconds: 86_400, run: purgeOldWebhookMessages },
  { name: 'api-key-uses-purge', everySeconds: 86_400, run: purgeOldApiKeyUses },
  // A patch-through session whose end Twilio never reported: its phone number is deleted (ADR 1201)
  { name: 'call-sessions-expiry', everySeconds: 600, run: endStalePatchSessions },
]
