import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { BlockList, isIP } from 'node:net'

// Webhook URLs are typed by an owner, but the worker requests them from inside our network: a URL
// to the cloud metadata service, the database or an admin port on loopback must never be fetched.
// The check runs when an endpoint is saved and again on every delivery, against the addresses the
// name resolves to then (the connection uses the checked address: no DNS rebinding in between),
// and redirects are never followed. See docs/decisions/1001-webhooks.md.

const blocked = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, and the cloud metadata service 169.254.169.254
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and broadcast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4')
}
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b::', 96], // NAT64 (wraps an IPv4 address)
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local (private), including AWS's fd00:ec2::254 metadata
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6')
}

/** Whether an IP address is on the public internet (not loopback, private, link-local, …). */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 0) return false
  if (family === 6) {
    // IPv4-mapped and -compatible IPv6 addresses (::ffff:10.0.0.1) are checked as the IPv4 inside
    const mapped = /^::(?:ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
    if (mapped) return isPublicAddress(mapped[1])
    return !blocked.check(address, 'ipv6')
  }
  return !blocked.check(address, 'ipv4')
}

export type UrlPolicy = { production: boolean; allowPrivate: boolean }

export type UrlCheck =
  | { ok: true; url: URL }
  | { ok: false; reason: 'invalid' | 'scheme' | 'credentials' | 'private' | 'unresolvable' }

/** The checks that need no DNS: a parseable http(s) URL (https in production), no credentials. */
export function checkUrlShape(raw: string, policy: UrlPolicy): UrlCheck {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return { ok: false, reason: 'invalid' }
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'scheme' }
  if (policy.production && url.protocol !== 'https:') return { ok: false, reason: 'scheme' }
  if (url.username || url.password) return { ok: false, reason: 'credentials' }
  const host = hostOf(url)
  if (isIP(host) && !policy.allowPrivate && !isPublicAddress(host)) {
    return { ok: false, reason: 'private' }
  }
  return { ok: true, url }
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1')
}

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  )
}

/** checkUrlShape, then every address the host resolves to must be public. */
export async function checkWebhookUrl(raw: string, policy: UrlPolicy): Promise<UrlCheck> {
  const shape = checkUrlShape(raw, policy)
  if (!shape.ok || policy.allowPrivate) return shape
  const host = hostOf(shape.url)
  if (isIP(host)) return shape
  let addresses: LookupAddress[]
  try {
    addresses = await resolveAll(host)
  } catch {
    return { ok: false, reason: 'unresolvable' }
  }
  if (addresses.length === 0) return { ok: false, reason: 'unresolvable' }
  if (addresses.some((a) => !isPublicAddress(a.address))) return { ok: false, reason: 'private' }
  return shape
}

export class BlockedAddressError extends Error {
  name = 'BlockedAddressError'
}

/**
 * A `lookup` for http.request that resolves the name and refuses it unless every address is
 * public: the socket then connects to the address that was checked.
 */
export function guardedLookup(policy: UrlPolicy) {
  return function lookup(
    hostname: string,
    options: object,
    callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void,
  ) {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => {
      if (error) return callback(error, [])
      if (!policy.allowPrivate && addresses.some((a) => !isPublicAddress(a.address))) {
        return callback(new BlockedAddressError(`${hostname} resolves to a private address`), [])
      }
      if ((options as { all?: boolean }).all) return callback(null, addresses)
      callback(null, addresses[0].address, addresses[0].family)
    })
  }
}
