import fs from 'node:fs'
import { createRequire } from 'node:module'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startServerWithEnv, type ServerWithEnv } from '#tests/setup/server-with-env'
import { loadBuild, type RunningServer } from './run'

// Walks every route in the build, in production mode, and checks the headers and cookie flags
// on each response (trust & safety acceptance).
let app: ServerWithEnv
let server: RunningServer

beforeAll(async () => {
  app = await startServerWithEnv({}, { production: true })
  server = app.server
})

afterAll(async () => {
  await app?.close()
})

const PARAMS: Record<string, string> = {
  slug: 'stop-red-notice-detentions',
  token: 'not-a-real-token',
  id: '00000000-0000-0000-0000-000000000000',
  '*': 'x',
}

async function routePaths(): Promise<string[]> {
  const build = await loadBuild()
  const routes = build.routes as Record<string, { path?: string; parentId?: string }>
  const full = (id: string): string => {
    const r = routes[id]
    if (!r || id === 'root') return ''
    const parent = r.parentId ? full(r.parentId) : ''
    return [parent, r.path ?? ''].filter(Boolean).join('/')
  }
  const paths = new Set<string>()
  for (const id of Object.keys(routes)) {
    if (id === 'root') continue
    const p = full(id).replace(/:(\w+)\??|\*/g, (m, name) => PARAMS[name ?? '*'] ?? 'x')
    paths.add(`/${p}`)
  }
  return [...paths].sort()
}

test('every route answers with the security headers, and cookies are hardened', async () => {
  const paths = await routePaths()
  expect(paths.length).toBeGreaterThanOrEqual(3)
  const problems: string[] = []
  for (const path of paths) {
    const res = await fetch(`${server.url}${path}`, { redirect: 'manual' })
    const h = res.headers
    const where = `${path} (${res.status})`
    if (res.status >= 500) problems.push(`${where}: server error`)
    const csp = h.get('content-security-policy') ?? ''
    if (!/script-src[^;]*'nonce-[A-Za-z0-9+/=]+'/.test(csp))
      problems.push(`${where}: CSP without nonce`)
    if (!csp.includes("object-src 'none'") || !csp.includes("base-uri 'none'"))
      problems.push(`${where}: CSP object/base`)
    const embed = /\/embed\/?$/.test(path)
    if (embed ? !csp.includes('frame-ancestors *') : !csp.includes("frame-ancestors 'none'"))
      problems.push(`${where}: frame-ancestors`)
    if (!embed && h.get('x-frame-options') !== 'DENY') problems.push(`${where}: X-Frame-Options`)
    if (
      !/max-age=(\d+)/.test(h.get('strict-transport-security') ?? '') ||
      Number(/max-age=(\d+)/.exec(h.get('strict-transport-security')!)![1]) < 31_536_000
    )
      problems.push(`${where}: HSTS`)
    if (h.get('x-content-type-options') !== 'nosniff') problems.push(`${where}: nosniff`)
    if (!h.get('referrer-policy')) problems.push(`${where}: Referrer-Policy`)
    if (!h.get('permissions-policy')) problems.push(`${where}: Permissions-Policy`)
    for (const cookie of h.getSetCookie()) {
      const name = cookie.split('=')[0]
      if (!/;\s*HttpOnly/i.test(cookie)) problems.push(`${where}: cookie ${name} not HttpOnly`)
      if (!/;\s*SameSite=Lax/i.test(cookie))
        problems.push(`${where}: cookie ${name} not SameSite=Lax`)
      if (!/;\s*Secure/i.test(cookie)) problems.push(`${where}: cookie ${name} not Secure`)
      if (!name.startsWith('__Host-')) problems.push(`${where}: cookie ${name} without __Host-`)
    }
  }
  expect(problems).toEqual([])
})

test('the language cookie set by ?lang= is hardened in production', async () => {
  const res = await fetch(`${server.url}/?lang=es`)
  const cookies = res.headers.getSetCookie()
  expect(
    cookies.some(
      (c) =>
        c.startsWith('__Host-lng=') &&
        /HttpOnly/i.test(c) &&
        /Secure/i.test(c) &&
        /SameSite=Lax/i.test(c),
    ),
  ).toBe(true)
})

test('a cross-site POST is refused with 403 and a same-site POST is not', async () => {
  const cross = await fetch(`${server.url}/unsubscribe/x`, {
    method: 'POST',
    headers: {
      origin: 'https://evil.example',
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'a=1',
  })
  expect(cross.status).toBe(403)
  const fetchSite = await fetch(`${server.url}/unsubscribe/x`, {
    method: 'POST',
    headers: {
      'sec-fetch-site': 'cross-site',
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'a=1',
  })
  expect(fetchSite.status).toBe(403)
  const same = await fetch(`${server.url}/unsubscribe/x`, {
    method: 'POST',
    headers: {
      origin: server.url, // same site: the Host this request goes to
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'a=1',
  })
  expect(same.status).toBe(404) // reached the route: an unknown token
})

test("public/'s files are served at their paths with an hour's cache; any other path goes on to Remix", async () => {
  for (const [path, type] of [
    ['/favicon.svg', 'image/svg+xml'],
    ['/embed.js', 'application/javascript'],
    ['/live-count.js', 'application/javascript'],
  ] as const) {
    const res = await fetch(`${server.url}${path}`)
    expect(res.status, path).toBe(200)
    expect(res.headers.get('content-type'), path).toContain(type)
    expect(res.headers.get('cache-control'), path).toBe('public, max-age=3600')
    expect((await res.text()).length, path).toBeGreaterThan(0)
  }
  const missing = await fetch(`${server.url}/no-such-file.js`)
  expect(missing.status).toBe(404)
  expect(missing.headers.get('content-type')).toContain('text/html') // Remix's not-found page
  expect(await missing.text()).toContain('<html')
})

test("Remix's route matching runs on the patched router (patches/, applied by postinstall)", async () => {
  // The patch caches the ranked route branches and the compiled path patterns (ADR 1301). An
  // install that skipped postinstall would still work, only slower: this catches it.
  // the CommonJS build: the one Remix's server runtime requires
  const require = createRequire(import.meta.url)
  const file = require.resolve('@remix-run/router')
  expect(file).toMatch(/router\.cjs\.js$/)
  const source = fs.readFileSync(file, 'utf8')
  expect(source).toContain('rankedBranchesCache')
  expect(source).toContain('compiledPathCache')
  expect(source).toContain('wholePathMatcher')
  // and matching still answers as before, for a static, a dynamic and an unknown path
  const { matchRoutes } = require(file) as {
    matchRoutes: (
      routes: unknown[],
      path: string,
    ) => Array<{ route: { id: string }; params: Record<string, string> }> | null
  }
  const routes = [
    {
      id: 'root',
      path: '/',
      children: [
        { id: 'c', path: 'c/:slug' },
        { id: 'p', path: 'privacy' },
      ],
    },
  ]
  for (let i = 0; i < 2; i++) {
    expect(matchRoutes(routes, '/c/abc')?.map((m) => [m.route.id, m.params.slug])).toEqual([
      ['root', 'abc'],
      ['c', 'abc'],
    ])
    expect(matchRoutes(routes, '/privacy')?.at(-1)?.route.id).toBe('p')
    expect(matchRoutes(routes, '/nope')).toBeNull()
  }
})
