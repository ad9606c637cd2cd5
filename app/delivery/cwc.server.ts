import { createHash } from 'node:crypto'
import { getEnv } from '#app/utils/env.server'

// Communicating with Congress (CWC) 2.0: the XML message and the POST that delivers it.
// One message per (letter, office). See docs/decisions/0300-delivery-engine.md.

export type Bill = { congress: number; type: string; number: number; title?: string }

export type CwcMessageInput = {
  /** Stable per (letter, office): the same delivery always carries the same DeliveryId. */
  deliveryKey: string
  deliveryDate: Date
  campaignId: string
  memberOffice: string
  constituent: {
    prefix: string
    firstName: string
    lastName: string
    street: string
    city: string
    state: string
    zip: string
    email: string
  }
  subject: string
  topics: string[]
  bill?: Bill | null
  constituentMessage: string
  organizationStatement?: string | null
}

/** 32 alphanumeric characters, derived from the delivery key. */
export function cwcDeliveryId(deliveryKey: string): string {
  return createHash('sha256').update(deliveryKey).digest('hex').slice(0, 32)
}

/** CWC's CampaignId: alphanumeric, at most 32 characters. */
export function cwcCampaignId(campaignId: string): string {
  return campaignId.replace(/[^A-Za-z0-9]/g, '').slice(0, 32)
}

/** House office code: H + state + two-digit district; at-large seats and delegates are 00. */
export function houseOfficeCode(state: string, district: string | number | null): string {
  const n = Number(district ?? 0)
  const d = Number.isFinite(n) && n > 0 ? n : 0
  return `H${state.toUpperCase()}${String(d).padStart(2, '0')}`
}

/** Senate office code: S + state + (class − 1), as PRODUCT.md and the CWC Senate list use. */
export function senateOfficeCode(state: string, senateClass: number): string {
  return `S${state.toUpperCase()}${senateClass - 1}`
}

export function yyyymmdd(date: Date): string {
  return date.toISOString().slice(0, 10).replaceAll('-', '')
}

// XML 1.0 forbids most control characters even when escaped; drop them.
// eslint-disable-next-line no-control-regex
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g

export function xmlEscape(value: string): string {
  return value
    .replace(INVALID_XML_CHARS, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;')
}

type Node = [string, string | Node[] | null | undefined]

function render(nodes: Node[], indent = ''): string {
  return nodes
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([name, value]) =>
      typeof value === 'string'
        ? `${indent}<${name}>${xmlEscape(value)}</${name}>`
        : `${indent}<${name}>\n${render(value as Node[], indent + '  ')}\n${indent}</${name}>`,
    )
    .join('\n')
}

export class CwcInputError extends Error {
  name = 'CwcInputError'
}

/** Builds the CWC 2.0 XML. Throws CwcInputError when a required field is missing. */
export function buildCwcXml(input: CwcMessageInput): string {
  const env = getEnv()
  const c = input.constituent
  const required: Record<string, string> = {
    MemberOffice: input.memberOffice,
    Prefix: c.prefix,
    FirstName: c.firstName,
    LastName: c.lastName,
    Address1: c.street,
    City: c.city,
    StateAbbreviation: c.state,
    Zip: c.zip,
    Email: c.email,
    Subject: input.subject,
    LibraryOfCongressTopic: input.topics[0] ?? '',
  }
  const missing = Object.entries(required)
    .filter(([, v]) => !v?.trim())
    .map(([k]) => k)
  if (!input.constituentMessage.trim() && !input.organizationStatement?.trim()) {
    missing.push('ConstituentMessage')
  }
  if (missing.length) throw new CwcInputError(`missing ${missing.join(', ')}`)

  const tree: Node[] = [
    ['CWCVersion', '2.0'],
    [
      'Delivery',
      [
        ['DeliveryId', cwcDeliveryId(input.deliveryKey)],
        ['DeliveryDate', yyyymmdd(input.deliveryDate)],
        ['DeliveryAgent', env.CWC_DELIVERY_AGENT],
        ['DeliveryAgentAckEmailAddress', env.CWC_DELIVERY_AGENT_ACK_EMAIL],
        [
          'DeliveryAgentContact',
          [
            ['DeliveryAgentContactName', env.CWC_DELIVERY_AGENT_CONTACT_NAME],
            ['DeliveryAgentContactEmail', env.CWC_DELIVERY_AGENT_CONTACT_EMAIL],
            ['DeliveryAgentContactPhone', env.CWC_DELIVERY_AGENT_CONTACT_PHONE],
          ],
        ],
        ['Organization', env.CWC_ORGANIZATION ?? env.ORG_NAME],
        ['CampaignId', cwcCampaignId(input.campaignId)],
      ],
    ],
    [
      'Recipient',
      [
        ['MemberOffice', input.memberOffice],
        ['IsResponseRequested', 'Y'],
        ['NewsletterOptIn', 'N'],
      ],
    ],
    [
      'Constituent',
      [
        ['Prefix', c.prefix],
        ['FirstName', c.firstName],
        ['LastName', c.lastName],
        ['Address1', c.street],
        ['City', c.city],
        ['StateAbbreviation', c.state.toUpperCase()],
        ['Zip', c.zip],
        ['Email', c.email],
      ],
    ],
    [
      'Message',
      [
        ['Subject', input.subject],
        ['LibraryOfCongressTopics', input.topics.map((t): Node => ['LibraryOfCongressTopic', t])],
        input.bill
          ? [
              'Bills',
              [
                [
                  'Bill',
                  [
                    ['BillCongress', String(input.bill.congress)],
                    ['BillTypeAbbreviation', input.bill.type.toLowerCase().replaceAll('.', '')],
                    ['BillNumber', String(input.bill.number)],
                  ],
                ],
              ],
            ]
          : ['Bills', null],
        ['OrganizationStatement', input.organizationStatement?.trim() || null],
        ['ConstituentMessage', input.constituentMessage.trim() || null],
      ],
    ],
  ]
  return `<?xml version="1.0" encoding="UTF-8"?>\n<CWC>\n${render(tree, '  ')}\n</CWC>\n`
}

export type CwcResult =
  | { kind: 'accepted'; status: number; response: string }
  | { kind: 'rejected'; status: number; response: string } // validation: permanent
  | { kind: 'unavailable'; status: number | null; response: string } // retry later

/** POSTs the XML to CWC_BASE_URL/v2/message?apikey=…. Never called without a key. */
export async function postCwcMessage(
  xml: string,
  { timeoutMs = 20_000 }: { timeoutMs?: number } = {},
): Promise<CwcResult> {
  const env = getEnv()
  if (!env.CWC_API_KEY) throw new Error('CWC_API_KEY is not set: the CWC channel is unavailable')
  const url = new URL(
    'v2/message',
    env.CWC_BASE_URL.endsWith('/') ? env.CWC_BASE_URL : `${env.CWC_BASE_URL}/`,
  )
  url.searchParams.set('apikey', env.CWC_API_KEY)
  let res: Response
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/xml; charset=utf-8' },
      body: xml,
      signal: AbortSignal.timeout(timeoutMs),
    })
  } catch (error) {
    return { kind: 'unavailable', status: null, response: (error as Error).message.slice(0, 500) }
  }
  const response = (await res.text().catch(() => '')).slice(0, 2000)
  if (res.ok) return { kind: 'accepted', status: res.status, response }
  // 400: the message itself is invalid; sending it again cannot succeed.
  if (res.status === 400 || res.status === 422)
    return { kind: 'rejected', status: res.status, response }
  return { kind: 'unavailable', status: res.status, response }
}
