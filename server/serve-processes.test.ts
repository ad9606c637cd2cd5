import fs from 'node:fs'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createTestDatabase, type TestDatabase } from '#tests/setup/db'
import { SERVER_ENTRY } from '#tests/setup/entries'
import { startServer, waitForHealthy } from '#tests/drills/processes'

// `npm run serve` as deployed (ADR 1303): the compiled entry (`npm run build` first) under plain
// Node, forking WEB_CONCURRENCY web processes, each with the old-space limit WEB_HEAP_MB.

let db: TestDatabase & { drop(): Promise<void> }
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(async () => {
  await db?.drop()
})

/** The command lines of the processes whose parent is `pid` (Linux /proc). */
function childCommandLines(pid: number): string[][] {
  const lines: string[][] = []
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid !== pid) continue
      lines.push(fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean))
    } catch {
      // the process ended while we looked
    }
  }
  return lines
}

test('the web processes run the compiled entry under plain Node, each with WEB_HEAP_MB and WEB_HEAP_GROWING_PERCENT', async () => {
  const app = await startServer({
    DATABASE_URL: db.url,
    SMTP_URL: 'smtp://127.0.0.1:9',
    RUN_WORKER: 'false',
    WEB_CONCURRENCY: '2',
    WEB_HEAP_MB: '144',
    WEB_HEAP_GROWING_PERCENT: '120',
  })
  try {
    await waitForHealthy(app.base)
    expect((await fetch(`${app.base}/`)).status).toBe(200)
    const children = childCommandLines(app.child.pid!)
    expect(children, app.output()).toHaveLength(2)
    for (const argv of children) {
      expect(argv).toContain('--max-old-space-size=144')
      expect(argv).toContain('--heap-growing-percent=120')
      expect(argv.join(' ')).not.toContain('tsx')
      expect(argv.at(-1)).toMatch(new RegExp(`${SERVER_ENTRY}$`))
    }
  } finally {
    app.child.kill('SIGTERM')
    await app.exited
  }
})
