import type { ServerBuild } from '@remix-run/node'

// A database that is down or restarting is a dependency outage, not a bug: the visitor gets a 503
// with Retry-After instead of a 500. Applied once, to every loader and action in the build.
// See docs/decisions/0700-performance-and-resilience.md.

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '53300', // too_many_connections
])

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08'))) return true
  const cause = (error as { cause?: unknown }).cause
  return cause !== error && cause !== undefined ? isDatabaseUnavailable(cause) : false
}

export const RETRY_AFTER_SECONDS = 5

function unavailable(): Response {
  return new Response('Service temporarily unavailable. Please try again in a few seconds.', {
    status: 503,
    headers: {
      'Retry-After': String(RETRY_AFTER_SECONDS),
      'Content-Type': 'text/plain; charset=utf-8',
    },
  })
}

type Handler = (args: unknown) => unknown

function wrap<T extends Handler | undefined>(handler: T): T {
  if (!handler) return handler
  const wrapped = async (args: unknown) => {
    try {
      return await handler(args)
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        console.error(`[db] unavailable (${(error as { code?: string }).code}): answering 503`)
        throw unavailable()
      }
      throw error
    }
  }
  return wrapped as T
}

export function withDependencyErrors(build: ServerBuild): ServerBuild {
  const routes: ServerBuild['routes'] = {}
  for (const [id, route] of Object.entries(build.routes)) {
    const module = route.module as unknown as Record<string, unknown>
    routes[id] = {
      ...route,
      module: {
        ...module,
        loader: wrap(module.loader as Handler | undefined),
        action: wrap(module.action as Handler | undefined),
      } as typeof route.module,
    }
  }
  return { ...build, routes }
}
