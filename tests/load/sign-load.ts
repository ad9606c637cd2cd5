// The sign load, shared by the sign steps and the peer step (same body, same connections).
import type autocannon from 'autocannon'

/** The demo petition every page and sign step loads. */
export const PETITION = 'stop-red-notice-detentions'

/**
 * Valid, unique signature POSTs (urlencoded, as a no-JS browser sends them) for `seconds`, with
 * the bench's connections; the peer step sends the same load to the peer.
 */
export function signLoad(
  ctx: {
    load: (opts: autocannon.Options) => Promise<autocannon.Result>
    connections: number
  },
  opts: { url: string; run: string; seconds: number; distinctIps?: boolean },
): Promise<autocannon.Result> {
  let n = 0
  return ctx.load({
    url: opts.url,
    connections: ctx.connections,
    duration: opts.seconds,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    requests: [
      {
        setupRequest: (req) => {
          const i = n++
          return {
            ...req,
            headers: {
              ...req.headers,
              ...(opts.distinctIps
                ? { 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }
                : {}),
            },
            body: new URLSearchParams({
              firstName: 'Bench',
              lastName: 'Signer',
              email: `${opts.run}-${i}@bench.test`,
              zip: '82001',
            }).toString(),
          }
        },
      },
    ],
  })
}
