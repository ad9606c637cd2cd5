import { parseWithZod } from '@conform-to/zod/v4'
import { describe, expect, test } from 'vitest'
import { SignSchema } from './schema'

function parse(fields: Record<string, string>) {
  const fd = new FormData()
  for (const [k, v] of Object.entries(fields)) fd.set(k, v)
  return parseWithZod(fd, { schema: SignSchema })
}

const valid = { firstName: 'Ana', lastName: 'García', email: 'ana@example.com', zip: '30303' }

describe('SignSchema', () => {
  test('trims, lowercases the email, accepts ZIP+4 and stores 5 digits; opt-in is off by default', () => {
    const s = parse({
      ...valid,
      firstName: '  Ana ',
      email: ' Ana@Example.COM ',
      zip: '30303-1234',
    })
    expect(s.status).toBe('success')
    if (s.status !== 'success') return
    expect(s.value).toMatchObject({
      firstName: 'Ana',
      email: 'ana@example.com',
      zip: '30303',
      optIn: false,
      anonymous: false,
    })
    expect(parse({ ...valid, zip: '303031234' }).status).toBe('success')
  })

  test('messages are i18n keys, per field', () => {
    const s = parse({ firstName: ' ', lastName: '', email: 'nope', zip: '3030' })
    expect(s.reply().error).toEqual({
      firstName: ['errors.required'],
      lastName: ['errors.required'],
      email: ['errors.email'],
      zip: ['errors.zip'],
    })
    expect(parse({ ...valid, state: 'XX' }).reply().error).toEqual({ state: ['errors.state'] })
    expect(parse({ ...valid, comment: 'x'.repeat(1001) }).reply().error).toEqual({
      comment: ['errors.tooLong'],
    })
  })

  test('checkboxes and odd hidden fields', () => {
    const s = parse({
      ...valid,
      optIn: 'on',
      anonymous: 'on',
      locale: 'fr',
      source: ' x '.repeat(80),
    })
    expect(s.status).toBe('success')
    if (s.status !== 'success') return
    expect(s.value.optIn).toBe(true)
    expect(s.value.anonymous).toBe(true)
    expect(s.value.locale).toBeUndefined()
    expect(s.value.source!.length).toBeLessThanOrEqual(100)
  })
})
