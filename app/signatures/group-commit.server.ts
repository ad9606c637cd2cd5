import { getSql } from '#db/client'
import {
  insertSignature,
  insertSignatures,
  type InsertedSignature,
  type NewSignature,
} from '#db/queries/petitions'

// Group commit for the sign form (docs/decisions/1302-group-commit-for-signatures.md). Signatures
// that arrive while the database is busy with earlier ones wait for the next statement, which
// writes all of them at once: one transaction, one commit, one WAL flush, one run of the rollup
// triggers. Each caller is answered only when that statement has committed, with its own row.
// When the database is idle a signature goes alone, at once (after the current turn of the event
// loop, so that those arriving in the same turn go together).

/** At most this many signatures in one statement. */
const MAX_BATCH = 64
/** At most this many statements of this process in flight at once. */
const MAX_IN_FLIGHT = 2

type Waiting = {
  signature: NewSignature
  /** two rows of one statement may not upsert the same supporter */
  email: string
  resolve: (row: InsertedSignature | undefined) => void
  reject: (error: unknown) => void
}

const waiting: Waiting[] = []
let inFlight = 0
let scheduled = false

/**
 * insertSignature through the group commit: resolves once the signature's statement committed
 * (undefined when this supporter had already signed), rejects when its own insert failed.
 */
export function insertSignatureGrouped(
  signature: NewSignature,
): Promise<InsertedSignature | undefined> {
  return new Promise((resolve, reject) => {
    waiting.push({ signature, email: signature.email.toLowerCase(), resolve, reject })
    schedule()
  })
}

function schedule() {
  if (scheduled || inFlight >= MAX_IN_FLIGHT || waiting.length === 0) return
  scheduled = true
  setImmediate(() => {
    scheduled = false
    void flush()
  })
}

/** The next statement's signatures, in order of arrival; a repeated address waits for a later one. */
function takeBatch(): Waiting[] {
  const batch: Waiting[] = []
  const emails = new Set<string>()
  for (let i = 0; i < waiting.length && batch.length < MAX_BATCH;) {
    const next = waiting[i]!
    if (emails.has(next.email)) {
      i++
      continue
    }
    emails.add(next.email)
    batch.push(next)
    waiting.splice(i, 1)
  }
  return batch
}

async function flush() {
  if (inFlight >= MAX_IN_FLIGHT || waiting.length === 0) return
  const batch = takeBatch()
  inFlight++
  // a second statement may start while this one runs
  schedule()
  try {
    const rows = await insertSignatures(
      getSql(),
      batch.map((w) => w.signature),
    )
    batch.forEach((w, k) => w.resolve(rows[k]))
  } catch {
    // Nothing of the statement was written. One bad signature must not fail the others: each is
    // tried again alone, and an error is then its own.
    await Promise.all(
      batch.map((w) => insertSignature(getSql(), w.signature).then(w.resolve, w.reject)),
    )
  } finally {
    inFlight--
    schedule()
  }
}
