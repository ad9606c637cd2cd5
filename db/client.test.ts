import { expect, inject, test } from 'vitest'
import { createSql } from './client'

// Writ's statements are short OLTP statements. Postgres compiles a statement with LLVM (JIT)
// when its estimated cost passes jit_above_cost, and the sign batch's generic plan passes it
// once the outbox is large: on a stock Postgres 15 that cost 113 ms of compilation per batch
// (ADR 1304). Every connection of ours turns JIT off.
test('the connections Writ opens run without JIT compilation', async () => {
  const sql = createSql(inject('adminUrl'), { max: 1 })
  try {
    const [row] = await sql<{ jit: string }[]>`select current_setting('jit') as jit`
    expect(row!.jit).toBe('off')
  } finally {
    await sql.end()
  }
})
