import { randomBytes } from 'node:crypto'
import type { NextFunction, Request, Response } from 'express'
import helmet from 'helmet'

// See docs/decisions/0005-security-baseline.md.

/** Routes that may be framed by other sites (the campaign embed). */
export const EMBED_PATH = /^\/c\/[^/]+\/embed\/?$/

export function nonceMiddleware(_req: Request, res: Response, next: NextFunction) {
  res.locals.cspNonce = randomBytes(16).toString('base64')
  next()
}

export const TURNSTILE_ORIGIN = 'https://challenges.cloudflare.com'

export function securityHeaders({
  production,
  turnstile = false,
}: {
  production: boolean
  turnstile?: boolean
}) {
  const csp = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: [
          "'strict-dynamic'",
          (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`,
          // 'strict-dynamic' makes browsers ignore these; older browsers need them
          "'self'",
          'https:',
          ...(turnstile ? [TURNSTILE_ORIGIN] : []),
        ],
        // Only Turnstile's challenge frame, and only when a site key is set.
        frameSrc: ["'self'", ...(turnstile ? [TURNSTILE_ORIGIN] : [])],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'https://theunitedstates.io', 'https:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'", ...(production ? [] : ['ws:'])],
        // Donation forms redirect to Stripe Checkout or the Billing Portal (the local fake in dev/test).
        formAction: [
          "'self'",
          'https://checkout.stripe.com',
          'https://billing.stripe.com',
          ...(production ? [] : ['http://127.0.0.1:*', 'http://localhost:*']),
        ],
        frameAncestors: [(req) => (EMBED_PATH.test((req as Request).path) ? '*' : "'none'")],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        ...(production ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: { policy: 'same-site' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    strictTransportSecurity: production
      ? { maxAge: 63_072_000, includeSubDomains: true, preload: false }
      : false,
    xFrameOptions: false, // set below, except on embeds
  })
  return function headers(req: Request, res: Response, next: NextFunction) {
    if (!EMBED_PATH.test(req.path)) res.setHeader('X-Frame-Options', 'DENY')
    res.setHeader(
      'Permissions-Policy',
      'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
    )
    csp(req, res, next)
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * CSRF defense for every non-GET request: a browser always sends Origin or Sec-Fetch-Site with a
 * form POST, and it must name this site. Requests with neither come from non-browser clients (a
 * mail provider's one-click unsubscribe, Stripe's webhook), which cannot carry a victim's cookies.
 * "This site" is the Host (or X-Forwarded-Host) the request came to: the same rule Remix applies
 * to actions, so a request we pass is never one Remix aborts with a 500.
 */
export function originCheck() {
  return function checkOrigin(req: Request, res: Response, next: NextFunction) {
    if (SAFE_METHODS.has(req.method)) return next()
    // The REST API authenticates by Bearer key only, never a cookie: there is no CSRF to stop
    // (ADR 1000), and a partner's browser-side tool may send an Origin.
    if (req.path.startsWith('/api/v1/')) return next()
    const origin = req.get('origin')
    const fetchSite = req.get('sec-fetch-site')
    if (origin !== undefined) {
      const host = req.get('x-forwarded-host')?.split(',')[0]?.trim() || req.get('host')
      let originHost: string | undefined
      try {
        originHost = origin === 'null' ? undefined : new URL(origin).host
      } catch {
        originHost = undefined
      }
      if (!originHost || originHost !== host) return refuse(res)
      return next()
    }
    if (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none') return refuse(res)
    next()
  }
}

function refuse(res: Response) {
  res
    .status(403)
    .type('text/plain')
    .send('Cross-site request refused. / Solicitud de otro sitio rechazada.')
}

/** Forms and webhooks are small; anything larger is refused before Remix reads it. */
export const MAX_BODY_BYTES = 256 * 1024

/**
 * Browsers and Stripe always send Content-Length on a POST. A body without one (chunked) could
 * be any size, so it is refused rather than counted while streaming (see ADR 0005).
 */
export function limitBodySize(maxBytes: number) {
  return function limit(req: Request, res: Response, next: NextFunction) {
    if (SAFE_METHODS.has(req.method)) return next()
    const header = req.get('content-length')
    if (header === undefined && req.get('transfer-encoding')) {
      res.setHeader('Connection', 'close')
      res.status(411).type('text/plain').send('Content-Length required.')
      return
    }
    if (Number(header ?? 0) > maxBytes) {
      res.setHeader('Connection', 'close')
      res.status(413).type('text/plain').send('Request too large. / Solicitud demasiado grande.')
      return
    }
    next()
  }
}
