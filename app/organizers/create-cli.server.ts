// `npm run organizer:create -- --email you@example.org [--password …] [--role owner] [--name …]`
// Without --password: prompts (hidden) on a terminal, or prints a generated password otherwise.
import { parseArgs } from 'node:util'
import readline from 'node:readline'
import { createSql } from '#db/client'
import { getEnv } from '#app/utils/env.server'
import { generatePassword } from './auth.server'
import { createOrganizer, OrganizerExistsError } from './organizers.server'
import { MIN_PASSWORD_LENGTH, roles } from './schema'

function usage(message: string): never {
  console.error(`${message}
Usage: npm run organizer:create -- --email you@example.org [--password …] [--role owner|organizer|viewer] [--name "Your Name"]`)
  process.exit(2)
}

async function promptHidden(question: string): Promise<string> {
  const rl = readline.createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: true,
  })
  const output = rl as unknown as {
    _writeToOutput: (s: string) => void
    output: NodeJS.WriteStream
  }
  let prompted = false
  output._writeToOutput = (s: string) => {
    // Echo the question once, then nothing of what is typed.
    if (!prompted) {
      prompted = true
      process.stdout.write(s)
    }
  }
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close()
      process.stdout.write('\n')
      resolve(answer)
    })
  })
}

export async function main(argv = process.argv.slice(2)) {
  let values
  try {
    ;({ values } = parseArgs({
      args: argv,
      options: {
        email: { type: 'string' },
        password: { type: 'string' },
        role: { type: 'string', default: 'owner' },
        name: { type: 'string', default: '' },
      },
      strict: true,
    }))
  } catch (error) {
    usage((error as Error).message)
  }
  const email = values.email?.trim().toLowerCase()
  if (!email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    usage('--email must be an email address.')
  const role = values.role as (typeof roles)[number]
  if (!roles.includes(role)) usage(`--role must be one of ${roles.join(', ')}.`)

  let password = values.password
  let generated = false
  if (password === undefined) {
    if (process.stdin.isTTY) {
      password = await promptHidden(
        `Password for ${email} (at least ${MIN_PASSWORD_LENGTH} characters): `,
      )
      const again = await promptHidden('Repeat it: ')
      if (again !== password) usage('The two passwords differ.')
    } else {
      password = generatePassword()
      generated = true
    }
  }
  if (password.length < MIN_PASSWORD_LENGTH) {
    usage(`The password must have at least ${MIN_PASSWORD_LENGTH} characters.`)
  }

  const sql = createSql(getEnv().DATABASE_URL, { max: 1, applicationName: 'writ-organizer-create' })
  try {
    const organizer = await createOrganizer(sql, { email, password, role, name: values.name })
    console.log(`Created ${organizer.role} ${organizer.email}.`)
    if (generated) console.log(`Generated password (shown once): ${password}`)
    console.log('Sign in at /admin/login.')
  } catch (error) {
    if (error instanceof OrganizerExistsError) {
      console.error(error.message)
      process.exitCode = 1
    } else throw error
  } finally {
    await sql.end({ timeout: 2 })
  }
}

const isEntry = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))
if (isEntry) await main()
