// Which channel an office gets. Pure: the caller reads the configuration (delivery.server.ts
// reads it from the environment) and passes what CWC can reach.

export type DeliveryChannel = 'cwc' | 'email' | 'packet'

/** What CWC can reach right now: nothing without an API key; the Senate only where enabled. */
export type CwcReach = { house: boolean; senate: boolean }

export function cwcReachOf(config: {
  CWC_API_KEY?: string | null
  CWC_SENATE_ENABLED?: string
}): CwcReach {
  const configured = Boolean(config.CWC_API_KEY)
  return { house: configured, senate: configured && config.CWC_SENATE_ENABLED === 'true' }
}

/** Is CWC usable for this office? */
export function cwcReaches(target: { chamber: string | null }, reach: CwcReach): boolean {
  if (target.chamber === 'house') return reach.house
  return target.chamber === 'senate' && reach.senate
}

/** The channel an office gets, in order of preference: CWC, then email, then a packet. */
export function chooseChannel(
  target: { chamber: string | null; cwcCode?: string | null; email: string | null },
  reach: CwcReach,
): DeliveryChannel {
  if (cwcReaches(target, reach) && (target.chamber === 'house' || target.cwcCode)) return 'cwc'
  if (target.email) return 'email'
  return 'packet'
}
