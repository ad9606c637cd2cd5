import { statementBatcher } from '#app/utils/statement-batcher.server'
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
// The queueing is app/utils/statement-batcher.server.ts.

type Waiting = {
  signature: NewSignature
  /** two rows of one statement may not upsert the same supporter */
  email: string
}

/** The next statement's signatures, in order of arrival; a repeated address waits for a later one. */
function takeBatch<E extends { item: Waiting }>(waiting: E[], max: number): E[] {
  const batch: E[] = []
  const emails = new Set<string>()
  for (let i = 0; i < waiting.length && batch.length < max;) {
    const next = waiting[i]!
    if (emails.has(next.item.email)) {
      i++
      continue
    }
    emails.add(next.item.email)
    batch.push(next)
    waiting.splice(i, 1)
  }
  return batch
}

const grouped = statementBatcher<Waiting, InsertedSignature | undefined>({
  // at most 64 signatures in one statement, 2 statements of this process in flight
  maxBatch: 64,
  maxInFlight: 2,
  take: takeBatch,
  run: async (batch) => {
    try {
      const rows = await insertSignatures(
        getSql(),
        batch.map((w) => w.signature),
      )
      return rows.map((value) => ({ ok: true, value }))
    } catch {
      // Nothing of the statement was written. One bad signature must not fail the others: each
      // is tried again alone, and an error is then its own.
      return Promise.all(
        batch.map((w) =>
          insertSignature(getSql(), w.signature).then(
            (value) => ({ ok: true as const, value }),
            (error: unknown) => ({ ok: false as const, error }),
          ),
        ),
      )
    }
  },
})

/**
 * insertSignature through the group commit: resolves once the signature's statement committed
 * (undefined when this supporter had already signed), rejects when its own insert failed.
 */
export function insertSignatureGrouped(
  signature: NewSignature,
): Promise<InsertedSignature | undefined> {
  return grouped({ signature, email: signature.email.toLowerCase() })
}
