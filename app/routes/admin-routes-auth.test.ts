import '#tests/setup/app-env'
import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
// Aliased: the react-hooks lint rule reads any top-level use*() call as a hook.
import { useAppDatabase as appDatabase } from '#tests/setup/db'
import { contextFor, settle, signedInOrganizer } from '#tests/setup/organizers'

// Walks the route table: every module in app/routes whose URL starts with /admin. Each loader and
// action must refuse an anonymous visitor (redirect to the login page, or 401), and a viewer
// where personal data is involved (403). Owner-only pages refuse organizers and viewers.

appDatabase()

const ROUTES_DIR = path.resolve('app/routes')

/** Admin pages that must be reachable signed out (signing in, and resetting a password). */
const PUBLIC_ADMIN_ROUTES = new Set([
  'admin_.login.tsx',
  'admin_.forgot-password.tsx',
  'admin_.reset-password.$token.tsx',
])
/** Route files that show or export supporters' personal data. */
const PII = /privacy|export|csv|supporter|staffer|packet|outbox/i
/** Route files only owners may open. */
const OWNER_ONLY = /^admin\.(organizers|audit|api|webhooks)\b/

const adminRoutes = fs
  .readdirSync(ROUTES_DIR)
  .filter((f) => /^admin[._]/.test(f) || /^admin\.tsx?$/.test(f))
  .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
  .sort()

type RouteModule = {
  loader?: (args: unknown) => unknown
  action?: (args: unknown) => unknown
}

function urlFor(file: string): { url: string; params: Record<string, string> } {
  const params: Record<string, string> = {}
  const segments = file
    .replace(/\.tsx?$/, '')
    .split('.')
    .filter((s) => s !== '_index')
    .map((s) => s.replace(/_$/, '').replace(/^\[(.*)\]$/, '$1'))
    .map((s) => {
      if (s.startsWith('$')) {
        params[s.slice(1)] = '00000000-0000-4000-8000-000000000000'
        return params[s.slice(1)]
      }
      return s
    })
  // "[.]json" escapes: join "export" and "json" back as "export.json"
  const url = `/${segments.join('/')}`.replace(/\/\[\.\]/g, '.').replace(/\[\.\]/g, '.')
  return { url: `http://localhost${url}`, params }
}

function request(url: string, method: 'GET' | 'POST', cookie?: string, accept?: string) {
  const headers: Record<string, string> = {}
  if (cookie) headers.Cookie = cookie
  if (accept) headers.Accept = accept
  return new Request(url, {
    method,
    headers:
      method === 'POST'
        ? { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' }
        : headers,
    body: method === 'POST' ? new URLSearchParams({ intent: 'probe' }) : undefined,
  })
}

async function call(
  mod: RouteModule,
  kind: 'loader' | 'action',
  file: string,
  cookie?: string,
  accept?: string,
) {
  const { url, params } = urlFor(file)
  const fn = mod[kind]!
  return settle(() =>
    fn({
      request: request(url, kind === 'loader' ? 'GET' : 'POST', cookie, accept),
      params,
      context: contextFor(),
    }),
  )
}

function isRefusedAnonymous(response: Response | undefined): boolean {
  if (!response) return false
  if (response.status === 401) return true
  return (
    response.status === 302 && (response.headers.get('Location') ?? '').startsWith('/admin/login')
  )
}

let viewerCookie = ''
let organizerCookie = ''
beforeAll(async () => {
  viewerCookie = (await signedInOrganizer('viewer')).cookie
  organizerCookie = (await signedInOrganizer('organizer')).cookie
})

test('the walk finds the admin routes', () => {
  // guards the walk itself: if route files move, this fails instead of passing vacuously
  expect(adminRoutes).toEqual(
    expect.arrayContaining([
      'admin.tsx',
      'admin._index.tsx',
      'admin.campaigns._index.tsx',
      'admin.campaigns.new.tsx',
      'admin.campaigns.$id._index.tsx',
      'admin.campaigns.$id.metrics.tsx',
      'admin.privacy.tsx',
      'admin.privacy.$supporterId.export[.]json.tsx',
      'admin.organizers.tsx',
      'admin_.login.tsx',
      'admin_.login_.two-factor.tsx',
      'admin.two-factor.tsx',
    ]),
  )
})

// Imported up front so that each route gets tests only for the loader and action it exports.
const guarded = await Promise.all(
  adminRoutes
    .filter((f) => !PUBLIC_ADMIN_ROUTES.has(f))
    .map(async (file) => {
      const mod = (await import(/* @vite-ignore */ path.join(ROUTES_DIR, file))) as RouteModule
      return [file, mod] as const
    }),
)

describe.each(guarded)('%s', (file, mod) => {
  test('has a loader or an action to guard', () => {
    expect(Boolean(mod.loader || mod.action)).toBe(true)
  })

  for (const kind of (['loader', 'action'] as const).filter((k) => mod[k])) {
    test(`${kind}: anonymous browser → redirect to login; anonymous script → 401 or redirect`, async () => {
      const page = await call(mod, kind, file, undefined, 'text/html')
      expect(isRefusedAnonymous(page.response), `${file} ${kind} (browser)`).toBe(true)
      const script = await call(mod, kind, file, undefined, 'application/json')
      expect(isRefusedAnonymous(script.response), `${file} ${kind} (script)`).toBe(true)
    })

    if (PII.test(file) || OWNER_ONLY.test(file)) {
      test(`${kind}: a viewer gets 403`, async () => {
        const { response } = await call(mod, kind, file, viewerCookie, 'text/html')
        expect(response?.status, `${file} ${kind} (viewer)`).toBe(403)
      })
    }
    if (OWNER_ONLY.test(file)) {
      test(`${kind}: an organizer gets 403`, async () => {
        const { response } = await call(mod, kind, file, organizerCookie, 'text/html')
        expect(response?.status, `${file} ${kind} (organizer)`).toBe(403)
      })
    }
  }
})
