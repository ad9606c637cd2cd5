import { randomBytes } from 'node:crypto'
import type { NewSignature } from '#db/queries/petitions'

const FIXTURE_TEMPLATE = {
  html: '<p>Confirm, NAME: URL</p>',
  text: 'Confirm, NAME: URL',
  markers: ['NAME', 'URL'],
} as const

/**
 * A signature as the sign path hands it to insertSignature(s), for tests that write signatures
 * below the form: `email` and `campaignId`, a fresh token, Message-ID and ref code, no consents.
 */
export function newSignatureFixture(
  email: string,
  campaignId: string,
  extra: Partial<NewSignature> = {},
): NewSignature {
  const name = email.split('@')[0]!
  return {
    campaignId,
    email,
    firstName: name,
    lastName: 'Tester',
    street: null,
    city: null,
    state: null,
    zip: '82001',
    locale: 'en',
    refCode: `ref-${name}-${randomBytes(3).toString('hex')}`,
    referredByCode: null,
    comment: null,
    anonymous: false,
    displayName: `${name} T.`,
    source: null,
    utm: {},
    referrerHost: null,
    ipHash: null,
    consents: [],
    confirmTokenHash: randomBytes(32),
    confirmTokenTtlHours: 24,
    confirmEmail: {
      kind: 'transactional',
      template: 'confirm-signature',
      toAddress: email,
      fromAddress: 'Writ <no-reply@writ.test>',
      replyTo: null,
      subject: 'Confirm',
      body: {
        template: FIXTURE_TEMPLATE,
        html: [name, 'https://writ.test/confirm'],
        text: [name, 'https://writ.test/confirm'],
      },
      headers: {},
      messageId: `<${randomBytes(8).toString('hex')}@writ.test>`,
      status: 'queued',
      dailyCap: null,
    },
    ...extra,
  }
}
