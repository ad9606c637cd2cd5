import { describe, expect, test } from 'vitest'
import { safeRedirect } from './auth.server'

describe('safeRedirect after sign-in', () => {
  test.each([
    ['/%09/evil.example'],
    ['/\t/evil.example'],
    ['/\n/evil.example'],
    ['/ /evil.example'],
    ['//evil.example'],
    ['/\\evil.example'],
    ['/\\/evil.example'],
    ['https://evil.example/admin'],
    ['javascript:alert(1)'],
    ['admin'],
  ])('%j stays on the site', (to) => {
    const target = decodeURIComponent(to.replace(/%(?![0-9a-f]{2})/gi, '%25'))
    const result = safeRedirect(target)
    expect(result).toBe('/admin')
    // whatever comes back resolves to this origin
    expect(new URL(result, 'https://writ.example').origin).toBe('https://writ.example')
  })

  test('same-site paths keep their query and hash', () => {
    expect(safeRedirect('/admin/campaigns?x=1#top')).toBe('/admin/campaigns?x=1#top')
    expect(safeRedirect('/admin/safety')).toBe('/admin/safety')
  })
})
