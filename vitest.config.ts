import path from 'node:path'
import { defineConfig } from 'vitest/config'

const here = (p: string) => path.resolve(import.meta.dirname, p)

export default defineConfig({
  resolve: {
    alias: [
      { find: /^#app\/(.*)$/, replacement: `${here('app')}/$1` },
      { find: /^#db\/(.*)$/, replacement: `${here('db')}/$1` },
      { find: /^#emails\/(.*)$/, replacement: `${here('emails')}/$1` },
      { find: /^#tests\/(.*)$/, replacement: `${here('tests')}/$1` },
    ],
  },
  test: {
    include: [
      'app/**/*.test.{ts,tsx}',
      'db/**/*.test.ts',
      'emails/**/*.test.{ts,tsx}',
      'server/**/*.test.ts',
      'tests/setup/**/*.test.ts',
      'tests/fuzz/**/*.test.ts',
      'tests/drills/**/*.test.ts',
    ],
    globalSetup: ['tests/setup/global-setup.ts'],
    setupFiles: ['tests/setup/sql.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 300_000,
    hookTimeout: 120_000,
    env: {
      NODE_ENV: 'test',
      LOG_REQUESTS: 'false',
      RUN_WORKER: 'false',
      // tests read what they just wrote: no read cache, page views written at once
      READ_CACHE_MS: '0',
      PAGE_VIEW_FLUSH_MS: '0',
      // tests fill forms in milliseconds; the safety tests turn the minimum back on
      MIN_FORM_FILL_MS: '0',
    },
  },
})
