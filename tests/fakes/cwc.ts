import http from 'node:http'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { CWC_PREFIXES, US_STATES } from '#app/letters/schema'

// A local stand-in for Communicating with Congress (test-cwc.house.gov): POST /v2/message and
// /v2/validate with ?apikey=. It checks the CWC 2.0 fields Writ must send and answers 400 with
// the list of problems, as the real service does for invalid messages. Never used in production.

export type CwcFakeMode = 'accept' | 'unavailable'

export type ReceivedCwcMessage = {
  deliveryId: string
  memberOffice: string
  xml: string
  parsed: Record<string, unknown>
}

export type CwcFake = {
  url: string
  apiKey: string
  messages: ReceivedCwcMessage[]
  /** DeliveryIds received more than once (a resend after a crash, or a double send). */
  duplicates: string[]
  rejected: Array<{ status: number; errors: string[] }>
  setMode(mode: CwcFakeMode): void
  close(): Promise<void>
}

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === 'LibraryOfCongressTopic' || name === 'Bill',
})

type Obj = Record<string, unknown>
const get = (o: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>(
      (acc, key) => (acc && typeof acc === 'object' ? (acc as Obj)[key] : undefined),
      o,
    )
const text = (o: unknown, path: string): string => {
  const v = get(o, path)
  return typeof v === 'string' || typeof v === 'number' ? String(v) : ''
}

/** The problems with a CWC 2.0 message; empty when it is valid. */
export function validateCwcXml(xml: string): { errors: string[]; parsed?: Obj } {
  const wellFormed = XMLValidator.validate(xml)
  if (wellFormed !== true)
    return { errors: [`Malformed XML: ${wellFormed.err.msg} (line ${wellFormed.err.line})`] }
  const parsed = parser.parse(xml) as Obj
  const cwc = parsed.CWC
  if (!cwc) return { errors: ['Root element must be CWC'] }
  const errors: string[] = []
  const need = (path: string, pattern?: RegExp, hint?: string) => {
    const v = text(cwc, path)
    if (!v) errors.push(`${path} is required`)
    else if (pattern && !pattern.test(v))
      errors.push(`${path} is invalid${hint ? ` (${hint})` : ''}: ${v}`)
  }
  need('CWCVersion', /^2\.0$/)
  need('Delivery.DeliveryId', /^[A-Za-z0-9]{32}$/, '32 alphanumeric characters')
  need('Delivery.DeliveryDate', /^[0-9]{8}$/, 'YYYYMMDD')
  need('Delivery.DeliveryAgent')
  need('Delivery.DeliveryAgentAckEmailAddress', /^[^@\s]+@[^@\s]+\.[^@\s]+$/)
  need('Delivery.DeliveryAgentContact.DeliveryAgentContactName')
  need('Delivery.DeliveryAgentContact.DeliveryAgentContactEmail', /^[^@\s]+@[^@\s]+\.[^@\s]+$/)
  need(
    'Delivery.DeliveryAgentContact.DeliveryAgentContactPhone',
    /^[0-9]{3}-[0-9]{3}-[0-9]{4}$/,
    'xxx-xxx-xxxx',
  )
  need('Delivery.Organization')
  need('Delivery.CampaignId', /^[A-Za-z0-9]{1,32}$/)
  need(
    'Recipient.MemberOffice',
    /^(H[A-Z]{2}[0-9]{2}|S[A-Z]{2}[0-2])$/,
    'H+state+2-digit district or S+state+class',
  )
  need('Constituent.Prefix')
  const prefix = text(cwc, 'Constituent.Prefix')
  if (prefix && !(CWC_PREFIXES as readonly string[]).includes(prefix)) {
    errors.push(`Constituent.Prefix is not in the CWC list: ${prefix}`)
  }
  need('Constituent.FirstName')
  need('Constituent.LastName')
  need('Constituent.Address1')
  need('Constituent.City')
  need('Constituent.StateAbbreviation')
  const state = text(cwc, 'Constituent.StateAbbreviation')
  if (state && !(US_STATES as readonly string[]).includes(state)) {
    errors.push(`Constituent.StateAbbreviation is invalid: ${state}`)
  }
  need('Constituent.Zip', /^[0-9]{5}(-[0-9]{4})?$/)
  need('Constituent.Email', /^[^@\s]+@[^@\s]+\.[^@\s]+$/)
  need('Message.Subject')
  const topics = get(cwc, 'Message.LibraryOfCongressTopics.LibraryOfCongressTopic')
  if (!Array.isArray(topics) || topics.length === 0 || topics.some((t) => !String(t).trim())) {
    errors.push('Message.LibraryOfCongressTopics needs at least one LibraryOfCongressTopic')
  }
  const bills = get(cwc, 'Message.Bills.Bill')
  if (bills !== undefined) {
    for (const bill of Array.isArray(bills) ? bills : [bills]) {
      if (!/^[0-9]{2,3}$/.test(text(bill, 'BillCongress')))
        errors.push('Bill.BillCongress is invalid')
      if (
        !/^(hr|s|hres|sres|hjres|sjres|hconres|sconres)$/.test(text(bill, 'BillTypeAbbreviation'))
      ) {
        errors.push('Bill.BillTypeAbbreviation is invalid')
      }
      if (!/^[0-9]+$/.test(text(bill, 'BillNumber'))) errors.push('Bill.BillNumber is invalid')
    }
  }
  if (!text(cwc, 'Message.ConstituentMessage') && !text(cwc, 'Message.OrganizationStatement')) {
    errors.push('Message needs a ConstituentMessage or an OrganizationStatement')
  }
  return { errors, parsed }
}

export async function startCwcFake({
  port = 0,
  apiKey = 'test-cwc-key',
}: { port?: number; apiKey?: string } = {}): Promise<CwcFake> {
  const messages: ReceivedCwcMessage[] = []
  const duplicates: string[] = []
  const rejected: CwcFake['rejected'] = []
  let mode: CwcFakeMode = 'accept'
  const reply = (res: http.ServerResponse, status: number, body: unknown) => {
    res.statusCode = status
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify(body))
  }
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://cwc.local')
    const route = /^\/v2\/(message|validate)$/.exec(url.pathname)
    if (req.method !== 'POST' || !route) return reply(res, 404, { error: 'Not found' })
    if (url.searchParams.get('apikey') !== apiKey)
      return reply(res, 401, { error: 'Invalid API key' })
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      if (mode === 'unavailable') return reply(res, 503, { error: 'Service unavailable' })
      const xml = Buffer.concat(chunks).toString('utf8')
      const { errors, parsed } = validateCwcXml(xml)
      if (errors.length) {
        rejected.push({ status: 400, errors })
        return reply(res, 400, { error: 'Validation failed', details: errors })
      }
      const deliveryId = text(parsed?.CWC, 'Delivery.DeliveryId')
      const memberOffice = text(parsed?.CWC, 'Recipient.MemberOffice')
      if (route[1] === 'validate') return reply(res, 200, { status: 'valid' })
      if (messages.some((m) => m.deliveryId === deliveryId)) duplicates.push(deliveryId)
      else messages.push({ deliveryId, memberOffice, xml, parsed: parsed! })
      reply(res, 200, { status: 'accepted', deliveryId, memberOffice })
    })
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()))
  const address = server.address()
  const actualPort = typeof address === 'object' && address ? address.port : port
  return {
    url: `http://127.0.0.1:${actualPort}/`,
    apiKey,
    messages,
    duplicates,
    rejected,
    setMode(next) {
      mode = next
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
