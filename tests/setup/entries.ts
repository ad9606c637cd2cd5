// The deployment entrypoints as `npm run serve` and `npm run worker` run them: compiled by
// `npm run build` (server/bundle.ts) and started with plain Node. Sources (.ts) run through tsx.

export const SERVER_ENTRY = 'build/server/index.js'
export const WORKER_ENTRY = 'build/server/worker.js'

/** Node's arguments for an entry: a source file gets tsx's loader (not the tsx CLI wrapper, so
 * signals reach the process's own handlers). */
export function nodeArgs(entry: string): string[] {
  return entry.endsWith('.ts') ? ['--import', 'tsx', entry] : [entry]
}
