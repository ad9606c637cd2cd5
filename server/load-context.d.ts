import '@remix-run/node'

declare module '@remix-run/node' {
  interface AppLoadContext {
    cspNonce: string
    /** The client's IP (req.ip: honours TRUST_PROXY); for per-IP limits. */
    clientIp?: string
  }
}

declare module '@remix-run/server-runtime' {
  interface Future {
    v3_singleFetch: true
  }
}
