import '@remix-run/node'

declare module '@remix-run/node' {
  interface AppLoadContext {
    cspNonce: string
    /** The client's address as Express sees it (see TRUST_PROXY). Hash it before storing. */
    clientIp: string
  }
}

declare module '@remix-run/server-runtime' {
  interface Future {
    v3_singleFetch: true
  }
}
