import fs from 'node:fs'
import path from 'node:path'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express, { type RequestHandler } from 'express'
import morgan from 'morgan'
import type { TrustProxy } from '#app/utils/env.server'
import { withDependencyErrors } from './dependency-errors'
import { campaignPageCache } from './page-cache'
import { isNoStorePath, redactUrl } from './private-paths'
import {
  limitBodySize,
  MAX_BODY_BYTES,
  nonceMiddleware,
  originCheck,
  securityHeaders,
} from './security'

export type AppOptions = {
  build: ServerBuild | (() => Promise<ServerBuild>)
  production: boolean
  publicUrl: string
  logRequests: boolean
  /** Express's `trust proxy`: false, a hop count, or the proxies' addresses/CIDRs. */
  trustProxy: TrustProxy
  /** Cloudflare Turnstile's widget is on the public forms: its origin joins the CSP. */
  turnstile?: boolean
  /** Called per request; lets the server refuse new work while it drains. */
  isDraining?: () => boolean
}

export function createApp(options: AppOptions) {
  const app = express()
  app.disable('x-powered-by')
  if (options.trustProxy !== false) app.set('trust proxy', options.trustProxy)

  app.use((req, res, next) => {
    if (options.isDraining?.()) {
      res.setHeader('Connection', 'close')
      res.setHeader('Retry-After', '5')
      res.status(503).type('text/plain').send('Server is restarting. Please retry.')
      return
    }
    next()
  })
  app.use(compression())
  if (options.logRequests) {
    app.use(
      morgan(
        (tokens, req, res) =>
          [
            tokens.method(req, res),
            redactUrl(req.originalUrl ?? req.url ?? ''),
            tokens.status(req, res),
            tokens.res(req, res, 'content-length'),
            '-',
            tokens['response-time'](req, res),
            'ms',
          ].join(' '),
        {
          // health probes and static assets would drown the log
          skip: (req) => req.path === '/healthz' || req.path.startsWith('/build/'),
        },
      ),
    )
  }
  // Admin pages and token pages never sit in a browser's or a proxy's cache, whatever the route
  // answered: set at the moment the headers are written.
  app.use((req, res, next) => {
    if (!isNoStorePath(req.path)) return next()
    const writeHead = res.writeHead
    res.writeHead = function (this: typeof res, ...args: Parameters<typeof writeHead>) {
      this.setHeader('Cache-Control', 'no-store')
      return writeHead.apply(this, args)
    } as typeof writeHead
    next()
  })
  app.use(nonceMiddleware)
  app.use(securityHeaders({ production: options.production, turnstile: options.turnstile }))
  // The anonymous campaign page, from a one-second HTML cache (ADR 0700). GET only, so the origin
  // check and body limit below do not apply; ahead of the static files, whose lookup costs a
  // stat() per request.
  app.use(campaignPageCache())

  const root = process.cwd()
  app.use(
    '/build',
    express.static(path.join(root, 'public/build'), {
      immutable: true,
      maxAge: '1y',
      fallthrough: false,
    }),
  )
  app.use(publicFiles(path.join(root, 'public')))

  app.use(originCheck())
  app.use(limitBodySize(MAX_BODY_BYTES))

  app.all(
    '*',
    createRequestHandler({
      build:
        typeof options.build === 'function'
          ? async () => withDependencyErrors(await (options.build as () => Promise<ServerBuild>)())
          : withDependencyErrors(options.build),
      mode: options.production ? 'production' : 'development',
      getLoadContext: (req, res) => ({
        cspNonce: res.locals.cspNonce as string,
        // req.ip honours TRUST_PROXY (X-Forwarded-For only behind a trusted proxy)
        clientIp: req.ip ?? req.socket.remoteAddress ?? '',
      }),
    }),
  )
  return app
}

/**
 * The files at `public/`'s top level (`/embed.js`, `/favicon.svg`, …), with a one-hour cache.
 * Their names are read once at start, and only those exact paths reach `express.static`: any
 * other request (every page and every POST) goes on to Remix without a stat() of the disk
 * (ADR 1301). A file added to `public/` is served after a restart.
 */
export function publicFiles(dir: string): RequestHandler {
  const names = new Set(
    fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => `/${entry.name}`),
  )
  const serve = express.static(dir, { maxAge: '1h', index: false })
  return (req, res, next) => (names.has(req.path) ? serve(req, res, next) : next())
}
