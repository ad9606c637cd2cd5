import { expect, test } from 'vitest'
import { renderMergeFields } from './merge-fields'
import { letterFormSchema } from './schema'

const valid = {
  prefix: 'Mx.',
  firstName: ' Ana ',
  lastName: 'Rivera',
  email: 'Ana@Example.org',
  street: '1 Main St',
  city: 'Modesto',
  state: 'ca',
  zip: '95354-1234',
}

test('the letter form accepts a full address and normalizes it', () => {
  const r = letterFormSchema({ editable: false, maxLength: 5000 }).safeParse(valid)
  expect(r.success).toBe(true)
  expect(r.data).toMatchObject({
    firstName: 'Ana',
    email: 'ana@example.org',
    state: 'CA',
    zip: '95354',
  })
})

test('the letter form names each problem with an i18n key', () => {
  const r = letterFormSchema({ editable: false, maxLength: 5000 }).safeParse({
    ...valid,
    prefix: 'Sir',
    street: ' ',
    state: 'XX',
    zip: '9535',
    email: 'nope',
  })
  expect(r.success).toBe(false)
  const byField = Object.fromEntries(r.error!.issues.map((i) => [i.path[0], i.message]))
  expect(byField).toEqual({
    prefix: 'letters:errors.prefix',
    street: 'errors.required',
    state: 'errors.state',
    zip: 'errors.zip',
    email: 'errors.email',
  })
})

test('an editable letter requires subject and message within the campaign limit', () => {
  const schema = letterFormSchema({ editable: true, maxLength: 100 })
  expect(schema.safeParse(valid).success).toBe(false)
  const ok = schema.safeParse({ ...valid, subject: 'Hi', message: 'x'.repeat(100) })
  expect(ok.success).toBe(true)
  const long = schema.safeParse({ ...valid, subject: 'Hi', message: 'x'.repeat(101) })
  expect(long.error?.issues[0]?.message).toBe('letters:errors.messageTooLong')
})

test('merge fields render known names once and leave unknown ones visible', () => {
  expect(
    renderMergeFields(
      'Dear {{ targetTitle }} {{targetName}}, from {{firstName}} in {{city}} {{oops}}',
      {
        targetTitle: 'Senator',
        targetName: 'Alex Padilla',
        firstName: '{{targetName}}',
        city: 'Modesto',
      },
    ),
  ).toBe('Dear Senator Alex Padilla, from {{targetName}} in Modesto {{oops}}')
})
