// `npm run webhook:create -- --url URL --events signature.created,donation.succeeded`
// Prints the endpoint's signing secret once (whsec_…).
import { parseArgs } from 'node:util'
import { createSql } from '#db/client'
import { getEnv } from '#app/utils/env.server'
import { WEBHOOK_EVENTS, WebhookEndpointSchema } from './schema'
import { createWebhookEndpoint } from './webhooks.server'

function usage(message: string): never {
  console.error(`${message}
Usage: npm run webhook:create -- --url https://example.org/hooks --events signature.created,donation.succeeded [--description TEXT]
Events: ${WEBHOOK_EVENTS.join(', ')}`)
  process.exit(2)
}

export async function main(argv = process.argv.slice(2)) {
  let values
  try {
    ;({ values } = parseArgs({
      args: argv,
      options: {
        url: { type: 'string' },
        events: { type: 'string' },
        description: { type: 'string' },
      },
      strict: true,
    }))
  } catch (error) {
    usage((error as Error).message)
  }
  const parsed = WebhookEndpointSchema.safeParse({
    url: values.url,
    description: values.description,
    events: (values.events ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  })
  if (!parsed.success) {
    usage(parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('\n'))
  }
  const sql = createSql(getEnv().DATABASE_URL, { max: 1, applicationName: 'writ-webhook-create' })
  try {
    const result = await createWebhookEndpoint({ ...parsed.data, organizerId: null }, sql)
    if (result.kind === 'refused-url') {
      console.error(
        `Refused URL (${result.reason}): webhooks go to https:// URLs on public addresses.`,
      )
      process.exitCode = 1
      return
    }
    console.log(`Added webhook endpoint ${parsed.data.url} for ${parsed.data.events.join(', ')}.`)
    console.log(`Signing secret (shown once): ${result.secret}`)
  } finally {
    await sql.end({ timeout: 2 })
  }
}

const isEntry = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))
if (isEntry) await main()
