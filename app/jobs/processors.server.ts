import { endStalePatchSessions } from '#app/calls/patch-through.server'
import { runDeliveries } from '#app/delivery/delivery.server'
import { sweepReceipts } from '#app/delivery/receipts.server'
import { expireUnconfirmedLetters } from '#app/letters/letters.server'
import { sendQueuedEmails } from '#app/mail/mail.server'
import { purgeExpiredPersonalData } from '#app/privacy/retention.server'
import { deleteExpiredRateLimits } from '#app/safety/rate-limit.server'
import type { Processor, RecurringJob } from './worker.server'

// Everything the worker runs, in one list: a capability that owns a queue or a chore adds a line
// here. Nothing registers itself on import.

/** Queue processors, polled in this order on every pass. */
export const processors: readonly Processor[] = [
  { name: 'email', runOnce: (sql, workerId) => sendQueuedEmails(sql, { workerId }) },
  { name: 'delivery', runOnce: (sql, workerId) => runDeliveries(sql, workerId) },
  { name: 'letter-receipts', runOnce: (sql) => sweepReceipts(sql) },
]

/** Chores that run once per period across all workers (ADR 0800). */
export const recurring: readonly RecurringJob[] = [
  { name: 'rate-limit-cleanup', everySeconds: 600, run: deleteExpiredRateLimits },
  // RETENTION_ADDRESS_DAYS / RETENTION_MAIL_DAYS (ADR 0812)
  { name: 'retention-purge', everySeconds: 3600, run: (sql) => purgeExpiredPersonalData(sql) },
  { name: 'unconfirmed-letters-expiry', everySeconds: 3600, run: expireUnconfirmedLetters },
  // A patch-through session whose end Twilio never reported: its phone number is deleted (ADR 1201)
  { name: 'call-sessions-expiry', everySeconds: 600, run: endStalePatchSessions },
]
