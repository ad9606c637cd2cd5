import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { startServerWithEnv, type ServerWithEnv } from '#tests/setup/server-with-env'
import { redactUrl } from './private-paths'

describe('redactUrl', () => {
  test.each([
    ['/letters/abc123secret', '/letters/[token]'],
    ['/confirm/abc123secret?lang=es', '/confirm/[token]?lang=es'],
    ['/unsubscribe/abc123secret', '/unsubscribe/[token]'],
    ['/donate/manage/abc123secret', '/donate/manage/[token]'],
    ['/admin/reset-password/abc123secret', '/admin/reset-password/[token]'],
    ['/c/some-slug/sent/abc123secret', '/c/some-slug/sent/[token]'],
    [
      '/representatives?zip=82001&address=1+Main+St%2C+Cheyenne',
      '/representatives?zip=[redacted]&address=[redacted]',
    ],
    [
      '/c/some-slug?source=tw&ref=r123&email=a%40b.org',
      '/c/some-slug?source=tw&ref=[redacted]&email=[redacted]',
    ],
    ['/c/some-slug', '/c/some-slug'],
  ])('%s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected)
  })
})

describe('over HTTP', () => {
  let app: ServerWithEnv
  const lines: string[] = []
  beforeAll(async () => {
    app = await startServerWithEnv({ LOG_REQUESTS: 'true' })
    const write = process.stdout.write.bind(process.stdout)
    vi.spyOn(process.stdout, 'write').mockImplementation(((
      chunk: string | Uint8Array,
      ...rest: unknown[]
    ) => {
      lines.push(String(chunk))
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest)
    }) as typeof process.stdout.write)
  })
  afterAll(async () => {
    vi.restoreAllMocks()
    await app?.close()
  })

  test('admin and token pages answer Cache-Control: no-store; public pages do not', async () => {
    for (const path of [
      '/admin/login',
      '/admin',
      '/letters/not-a-real-token-0000000000000000',
      '/confirm/not-a-real-token-0000000000000000',
      '/unsubscribe/not-a-real-token-0000000000000000',
      '/donate/manage/not-a-real-token-0000000000000000',
      '/admin/reset-password/not-a-real-token-0000000000000000',
    ]) {
      const res = await fetch(`${app.server.url}${path}`, { redirect: 'manual' })
      expect(res.headers.get('cache-control'), path).toBe('no-store')
    }
    const page = await fetch(`${app.server.url}/c/stop-red-notice-detentions`)
    expect(page.headers.get('cache-control') ?? '').not.toContain('no-store')
  })

  test('the access log shows no path token and no address', async () => {
    lines.length = 0
    await fetch(`${app.server.url}/letters/secret-token-abcdef0123456789`)
    await fetch(
      `${app.server.url}/representatives?zip=82001&address=${encodeURIComponent('1600 Secret Lane, Cheyenne')}`,
    )
    await new Promise((r) => setTimeout(r, 100))
    const log = lines.join('')
    expect(log).toContain('/letters/[token]')
    expect(log).toContain('/representatives?zip=[redacted]&address=[redacted]')
    expect(log).not.toContain('secret-token')
    expect(log).not.toContain('Secret')
  })
})
