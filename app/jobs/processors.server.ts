// Every queue processor, imported for its registerProcessor() side effect.
// Add one import line per capability that owns a queue.
import '#app/mail/mail.server'
import '#app/safety/rate-limit.server'
import '#app/delivery/delivery.server'
import '#app/delivery/receipts.server'
