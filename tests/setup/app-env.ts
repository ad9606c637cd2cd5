// Import this first in a test file whose imports read getEnv() at load time (i18n.server builds
// its cookie on import). useAppDatabase() later points DATABASE_URL at the real clone and calls
// resetEnv(), so this placeholder is never connected to.
process.env.DATABASE_URL ??= 'postgres://placeholder.invalid/not-used'
