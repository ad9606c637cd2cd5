import fs from 'node:fs'
import path from 'node:path'
import { expect, test } from 'vitest'

// The classic compiler strips only app/**/*.server.ts from the browser bundle, silently.
// This reads what `remix build` produced (tests/run-all.sh builds before testing).
const BUILD_DIR = path.resolve('public/build')

function jsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? jsFiles(p) : p.endsWith('.js') ? [p] : []
  })
}

test('no browser bundle contains postgres, nodemailer or stripe code', () => {
  expect(fs.existsSync(BUILD_DIR), 'run `npm run build` first').toBe(true)
  const markers: Array<[string, RegExp]> = [
    ['postgres.js', /PostgresError|pg_advisory|sql\.begin|postgres\.camel/],
    ['nodemailer', /nodemailer|createTransport\(/i],
    ['stripe', /api\.stripe\.com|webhooks\.constructEvent|STRIPE_SECRET_KEY/],
    ['server env', /SESSION_SECRET|DATABASE_URL/],
  ]
  const files = jsFiles(BUILD_DIR)
  expect(files.length).toBeGreaterThan(0)
  const leaks: string[] = []
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8')
    for (const [name, re] of markers)
      if (re.test(text)) leaks.push(`${name} in ${path.relative(BUILD_DIR, file)}`)
  }
  expect(leaks).toEqual([])
})
