import { expect, test } from 'vitest'
import { trackingFromUrl } from './tracking'

test('trackingFromUrl keeps only other sites as the referrer', () => {
  const url = new URL('https://writ.example/c/x?source=a&utm_source=b&ref=C0de')
  expect(trackingFromUrl(url, 'https://news.example.org/a?b=c')).toMatchObject({
    source: 'a',
    utmSource: 'b',
    ref: 'C0de',
    referrerHost: 'news.example.org',
  })
  expect(trackingFromUrl(url, 'https://writ.example/').referrerHost).toBeUndefined()
  expect(trackingFromUrl(url, 'not a url').referrerHost).toBeUndefined()
})
