// `npm run apikey:create -- --name NAME --scopes read:campaigns,read:people [--rate-limit 600]`
// Prints the key once; only its hash is stored.
import { parseArgs } from 'node:util'
import { createSql } from '#db/client'
import { getEnv } from '#app/utils/env.server'
import { createApiKey } from './api.server'
import { API_SCOPES, CreateKeyInput } from './schemas'

function usage(message: string): never {
  console.error(`${message}
Usage: npm run apikey:create -- --name NAME --scopes ${API_SCOPES.slice(0, 2).join(',')} [--rate-limit 600]
Scopes: ${API_SCOPES.join(', ')}`)
  process.exit(2)
}

export async function main(argv = process.argv.slice(2)) {
  let values
  try {
    ;({ values } = parseArgs({
      args: argv,
      options: {
        name: { type: 'string' },
        scopes: { type: 'string' },
        'rate-limit': { type: 'string' },
      },
      strict: true,
    }))
  } catch (error) {
    usage((error as Error).message)
  }
  const parsed = CreateKeyInput.safeParse({
    name: values.name,
    scopes: (values.scopes ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    rateLimitPerMinute: values['rate-limit'],
  })
  if (!parsed.success) {
    usage(parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('\n'))
  }
  const sql = createSql(getEnv().DATABASE_URL, { max: 1, applicationName: 'writ-apikey-create' })
  try {
    const created = await createApiKey(parsed.data, { organizerId: null, via: 'cli' }, sql)
    console.log(`Created API key "${parsed.data.name}" (${parsed.data.scopes.join(', ')}).`)
    console.log(`Key (shown once): ${created.key}`)
    console.log('Send it as: Authorization: Bearer <key>')
  } finally {
    await sql.end({ timeout: 2 })
  }
}

const isEntry = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))
if (isEntry) await main()
