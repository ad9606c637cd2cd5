import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { useAppDatabase } from '#tests/setup/db'
import type { RunningServer } from '../../server/run'
import type * as Petitions from '#app/signatures/signatures.server'

// Real Postgres, the real built app over HTTP (run `npx remix build` first).

const db = useAppDatabase()
const SLUG = 'stop-red-notice-detentions'
let server: RunningServer
// Imported after useAppDatabase has pointed DATABASE_URL at this file's database.
let signFromForm: typeof Petitions.signFromForm

beforeAll(async () => {
  ;({ signFromForm } = await import('#app/signatures/signatures.server'))
  const { runServer } = await import('../../server/run')
  server = await runServer({ port: 0, host: '127.0.0.1' })
})
afterAll(async () => {
  await server?.close()
})

function form(fields: Record<string, string>) {
  const fd = new FormData()
  for (const [k, v] of Object.entries(fields)) fd.set(k, v)
  return fd
}

const signer = (email: string) => ({
  firstName: ' Ana ',
  lastName: 'García',
  email,
  zip: '30303-1234',
  comment: 'No more backdoor extraditions.',
})

async function signatureRows(email: string) {
  return db.sql<{ id: string; zip: string; refCode: string; referredBy: string | null }[]>`
    select s.id, p.zip, s.ref_code, s.referred_by
    from signatures s join supporters p on p.id = s.supporter_id
    where p.email = ${email}`
}

describe('signing', () => {
  test('the confirmation email is queued as queueEmail would queue it, with its Message-ID', async () => {
    const { messageIdFor } = await import('#app/mail/mail.server')
    for (const ip of ['203.0.113.77', null]) {
      // an IP that is checked for bursts (a transaction), and none (one statement)
      const email = `queued-${ip ? 'ip' : 'noip'}@example.com`
      const outcome = await signFromForm(SLUG, form(signer(email)), { requestLocale: 'es', ip })
      expect(outcome.kind === 'done' && outcome.result.status).toBe('signed')
      const [row] = await signatureRows(email)
      const [token] = await db.sql<{ tokenHash: Buffer }[]>`
        select token_hash from email_tokens
        where subject_id = ${row.id} and purpose = 'confirm_signature'`
      const mails = await db.sql<
        {
          kind: string
          template: string
          fromAddress: string
          messageId: string
          status: string
          supporterId: string
          subject: string
          headers: unknown
          replyTo: string | null
        }[]
      >`
        select o.kind, o.template, o.from_address, o.message_id, o.status, o.supporter_id,
               o.subject, o.headers, o.reply_to
        from outbound_emails o join supporters p on p.id = o.supporter_id
        where o.to_address = ${email} and p.email = ${email}`
      expect(mails).toHaveLength(1)
      expect(mails[0]).toMatchObject({
        kind: 'transactional',
        template: 'confirm-signature',
        status: 'queued',
        messageId: messageIdFor(`confirm-signature:${token.tokenHash.toString('hex')}`),
        headers: {},
        replyTo: null,
      })
      expect(mails[0].fromAddress).toBeTruthy()
      expect(mails[0].subject).toMatch(/^Confirma tu firma: /) // the signer's locale
    }
  })

  test('the stored confirmation body is the email rendered for this signer, on both sign paths', async () => {
    const { renderEmail } = await import('#emails/render')
    const { confirmSignatureEmail } = await import('#emails/confirm-signature')
    const { canonicalUrl, getCampaign } = await import('#app/campaigns/campaigns.server')
    const { getServerT } = await import('#app/i18n/i18n.server')
    const { getEnv } = await import('#app/utils/env.server')
    const { hashToken } = await import('#app/tokens/email-tokens.server')
    // markup, quotes and a replacement pattern ($&) in the name: all stored as the render writes them
    const firstName = `<b>Zoë</b> & "O'Neil" $& $1`
    for (const ip of ['203.0.113.78', null]) {
      const email = `body-${ip ? 'ip' : 'noip'}@example.com`
      const fields = { ...signer(email), firstName }
      const outcome = await signFromForm(SLUG, form(fields), { requestLocale: 'es', ip })
      expect(outcome.kind === 'done' && outcome.result.status).toBe('signed')
      const [row] = await signatureRows(email)
      const [mail] = await db.sql<{ html: string; textBody: string }[]>`
        select html, text_body from outbound_emails where to_address = ${email}`
      const token = /\/confirm\/([\w-]+)/.exec(mail!.textBody)?.[1] ?? ''
      const [stored] = await db.sql<{ subjectId: string }[]>`
        select subject_id from email_tokens where token_hash = ${hashToken(token)}`
      expect(stored?.subjectId).toBe(row!.id)
      const campaign = (await getCampaign(SLUG, 'es'))!
      const env = getEnv()
      const direct = await renderEmail(
        confirmSignatureEmail,
        {
          firstName: firstName.trim(),
          headline: campaign.headline,
          confirmUrl: `${env.PUBLIC_URL}/confirm/${token}`,
          campaignUrl: canonicalUrl(SLUG, 'es'),
          orgName: env.ORG_NAME,
          postalAddress: env.ORG_POSTAL_ADDRESS,
        },
        { t: getServerT('es'), locale: 'es' },
      )
      expect(mail!.html).toBe(direct.html)
      expect(mail!.textBody).toBe(direct.text)
    }
  })

  test('100 concurrent identical submissions store one signature, one email, one token', async () => {
    const email = 'race@example.com'
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, () =>
        signFromForm(SLUG, form(signer('  RACE@Example.com ')), {
          requestLocale: 'en',
          ip: '203.0.113.9',
        }),
      ),
    )
    const kinds = outcomes.map((o) => (o.kind === 'done' ? o.result.status : o.kind))
    expect(kinds.filter((k) => k === 'signed')).toHaveLength(1)
    expect(kinds.filter((k) => k === 'already-signed')).toHaveLength(99)

    const rows = await signatureRows(email)
    expect(rows).toHaveLength(1)
    expect(rows[0].zip).toBe('30303') // ZIP+4 stored as 5 digits
    const [{ supporters }] =
      await db.sql`select count(*)::int as supporters from supporters where email = ${email}`
    expect(supporters).toBe(1)
    const mails =
      await db.sql`select subject, text_body from outbound_emails where to_address = ${email}`
    expect(mails).toHaveLength(1)
    expect(mails[0].textBody).toContain('Hi Ana,')
    const [{ tokens }] = await db.sql`
      select count(*)::int as tokens from email_tokens where subject_id = ${rows[0].id}`
    expect(tokens).toBe(1)
    const consents = await db.sql<{ kind: string; granted: boolean; ipHash: string }[]>`
      select kind, granted, ip_hash from consents c join supporters p on p.id = c.supporter_id
      where p.email = ${email} order by kind`
    expect(consents.map((c) => [c.kind, c.granted])).toEqual([
      ['list', false],
      ['terms', true],
    ])
    expect(consents[0].ipHash).toMatch(/^[0-9a-f]{32}$/)
    expect(consents[0].ipHash).not.toContain('203.0.113.9')
  })

  test('the sharded counter matches count(*) after signing', async () => {
    const [row] = await db.sql`
      select (select count(*)::int from signatures s join campaigns c on c.id = s.campaign_id
              where c.slug = ${SLUG} and not s.held) as real,
             (select sum(total)::int from signature_counts n join campaigns c on c.id = n.campaign_id
              where c.slug = ${SLUG}) as counted`
    expect(row.counted).toBe(row.real)
    expect(row.real).toBeGreaterThan(0)
  })

  test('a bad email is a 400 with a field error, and nothing is stored', async () => {
    const outcome = await signFromForm(SLUG, form({ ...signer('not-an-email'), zip: '123' }), {
      requestLocale: 'en',
      ip: null,
    })
    expect(outcome.kind).toBe('invalid')
    if (outcome.kind !== 'invalid') return
    expect(outcome.submission.reply().error).toMatchObject({
      email: ['errors.email'],
      zip: ['errors.zip'],
    })
  })
})

describe('the plain HTML form', () => {
  test('a form-urlencoded POST with the page’s hidden fields answers 303 and stores the signature', async () => {
    const page = await fetch(
      `${server.url}/c/${SLUG}?source=newsletter&utm_medium=email&ref=nobody`,
    )
    expect(page.status).toBe(200)
    const html = await page.text()
    const hidden = Object.fromEntries(
      [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [
        m[1],
        m[2],
      ]),
    )
    expect(hidden).toMatchObject({ source: 'newsletter', utmMedium: 'email', ref: 'nobody' })
    expect(html).toContain('name="website"')

    const body = new URLSearchParams({
      ...hidden,
      website: '',
      firstName: 'Plain',
      lastName: 'Form',
      email: 'plain@example.com',
      zip: '10001',
    })
    const res = await fetch(`${server.url}/c/${SLUG}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toMatch(new RegExp(`^/c/${SLUG}/thanks\\?signed=1&code=`))
    const [row] = await db.sql`
      select s.source, s.utm, s.ip_hash from signatures s join supporters p on p.id = s.supporter_id
      where p.email = 'plain@example.com'`
    expect(row).toMatchObject({ source: 'newsletter', utm: { medium: 'email' } })
    expect(row.ipHash).toBeTruthy()
  })

  test('a filled honeypot gets the same redirect and stores nothing', async () => {
    const res = await fetch(`${server.url}/c/${SLUG}`, {
      method: 'POST',
      body: new URLSearchParams({ ...signer('bot@example.com'), website: 'http://spam.example' }),
      redirect: 'manual',
    })
    expect(res.status).toBe(303)
    expect(await signatureRows('bot@example.com')).toHaveLength(0)
  })
})

describe('a repeat signer', () => {
  // Whoever types someone's email into the form must not learn whether that person signed.
  test('gets the same 303 and the same thank-you page as a first signer', async () => {
    async function post(email: string) {
      const res = await fetch(`${server.url}/c/${SLUG}`, {
        method: 'POST',
        body: new URLSearchParams({ ...signer(email), website: '' }),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        redirect: 'manual',
      })
      expect(res.status).toBe(303)
      return res.headers.get('location')!
    }
    const codeOf = (location: string) => new URL(location, server.url).searchParams.get('code')
    // the personal code and the nonce are per request; everything else must be equal
    const normalize = (text: string, code: string) =>
      text.replaceAll(code, 'CODE').replace(/nonce="[^"]*"/g, 'nonce=""')

    await post('repeat@example.com')
    const repeat = await post('repeat@example.com')
    const first = await post('first-time@example.com')
    const [repeatCode, firstCode] = [codeOf(repeat), codeOf(first)]
    expect(repeatCode).toMatch(/^[A-Za-z0-9_-]{11}$/)
    expect(firstCode).toMatch(/^[A-Za-z0-9_-]{11}$/)
    expect(normalize(repeat, repeatCode!)).toBe(normalize(first, firstCode!))

    const [repeatPage, firstPage] = await Promise.all(
      [repeat, first].map(async (location) => {
        const res = await fetch(new URL(location, server.url))
        expect(res.status).toBe(200)
        return res.text()
      }),
    )
    expect(normalize(repeatPage, repeatCode!)).toBe(normalize(firstPage, firstCode!))
    // and the repeat gets nothing new: one signature, one confirmation email
    expect(await signatureRows('repeat@example.com')).toHaveLength(1)
    const [{ n }] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from outbound_emails where to_address = 'repeat@example.com'`
    expect(n).toBe(1)
  })
})

describe('campaign pages', () => {
  test('a letter campaign shows the letter flow (not the sign form), and unknown slugs are 404', async () => {
    const res = await fetch(`${server.url}/c/write-congress-red-notices`)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('data-step="address"')
    expect(html).toContain('name="prefix"')
    expect(html).not.toContain('id="sign"')
    expect((await fetch(`${server.url}/c/no-such-campaign`)).status).toBe(404)
  })

  test('Spanish copy is served with ?lang=es, and a missing translation falls back to English', async () => {
    const es = await (await fetch(`${server.url}/c/${SLUG}?lang=es`)).text()
    expect(es).toContain('Por qué importa')
    expect(es).toContain('Notificaciones Rojas')
    await db.sql`delete from campaign_copy where locale = 'es' and campaign_id = (select id from campaigns where slug = 'write-congress-red-notices')`
    const fallback = await (
      await fetch(`${server.url}/c/write-congress-red-notices?lang=es`)
    ).text()
    expect(fallback).toContain('Write to Congress: no detention on a Red Notice alone')
    expect(fallback).toContain('<article class="campaign" lang="en">')
    expect(fallback).toContain('Por qué importa')
  })
})

describe('a closed campaign', () => {
  test('still shows its page, without a form, and refuses signatures with a 409', async () => {
    await db.sql`update campaigns set status = 'closed' where slug = 'write-congress-red-notices'`
    try {
      const html = await (await fetch(`${server.url}/c/write-congress-red-notices`)).text()
      expect(html).toContain('This campaign is closed and no longer takes signatures.')
      expect(html).not.toContain('id="sign"')
      const res = await fetch(`${server.url}/c/write-congress-red-notices`, {
        method: 'POST',
        body: new URLSearchParams({ ...signer('closed@example.com') }),
        redirect: 'manual',
      })
      expect(res.status).toBe(409)
      expect(await signatureRows('closed@example.com')).toHaveLength(0)
    } finally {
      await db.sql`update campaigns set status = 'live' where slug = 'write-congress-red-notices'`
    }
  })
})

describe('the embed of a letter campaign', () => {
  const LETTER = 'write-congress-red-notices'

  test('offers the full letter page instead of a petition form', async () => {
    const res = await fetch(`${server.url}/c/${LETTER}/embed?lang=es`)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).not.toContain('name="email"')
    expect(html).toMatch(new RegExp(`href="[^"]*/c/${LETTER}\\?lang=es"`))
    expect(html).toContain('Escribe tu carta')
  })

  test('a sign POST to it is a 400 and stores nothing', async () => {
    const res = await fetch(`${server.url}/c/${LETTER}/embed`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...signer('embed-letter@example.com'), website: '' }),
    })
    expect(res.status).toBe(400)
    expect(await signatureRows('embed-letter@example.com')).toHaveLength(0)
  })
})

describe('the embed of a call campaign', () => {
  const CALL = 'call-congress-red-notices'

  test('offers the full call page instead of a petition form', async () => {
    const res = await fetch(`${server.url}/c/${CALL}/embed?lang=es`)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).not.toContain('name="email"')
    expect(html).toMatch(new RegExp(`href="[^"]*/c/${CALL}\\?lang=es"`))
    expect(html).toContain('Llama a tus legisladores')
  })

  test('a sign POST to it is a 400 and stores nothing', async () => {
    const res = await fetch(`${server.url}/c/${CALL}/embed`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...signer('embed-call@example.com'), website: '' }),
    })
    expect(res.status).toBe(400)
    expect(await signatureRows('embed-call@example.com')).toHaveLength(0)
  })
})

describe('page views', () => {
  const BROWSER_UA =
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'

  test('a view records source, utm, ref and the referring host, without cookies', async () => {
    const res = await fetch(
      `${server.url}/c/${SLUG}?source=flyer&utm_source=bsky&utm_campaign=launch&ref=abc123XYZ`,
      { headers: { 'user-agent': BROWSER_UA, referer: 'https://news.example.org/story?id=1' } },
    )
    expect(res.status).toBe(200)
    expect(res.headers.get('set-cookie')).toBeNull()
    const views = await db.sql`
      select v.path, v.source, v.utm, v.ref, v.referrer_host, v.locale
      from page_views v join campaigns c on c.id = v.campaign_id
      where c.slug = ${SLUG} and v.source = 'flyer'`
    expect(views).toEqual([
      {
        path: `/c/${SLUG}`,
        source: 'flyer',
        utm: { source: 'bsky', campaign: 'launch' },
        ref: 'abc123XYZ',
        referrerHost: 'news.example.org',
        locale: 'en',
      },
    ])
  })

  test('control characters in tracking parameters are dropped, never a 5xx', async () => {
    const res = await fetch(`${server.url}/c/${SLUG}?source=nul%00flyer%1B&ref=a%00b`, {
      headers: { 'user-agent': BROWSER_UA },
    })
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('name="source" value="nulflyer"')
    const signed = await fetch(`${server.url}/c/${SLUG}?source=nul%00sign&utm_medium=%00`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...signer('nul-source@example.com'), website: '' }),
    })
    expect(signed.status).toBe(303)
    expect(await signatureRows('nul-source@example.com')).toHaveLength(1)
    const views = await db.sql`
      select v.source, v.ref from page_views v where v.source like 'nul%'`
    expect(views).toEqual([{ source: 'nulflyer', ref: 'ab' }])
  })

  test('bots are not counted', async () => {
    await fetch(`${server.url}/c/${SLUG}?source=crawler`, {
      headers: { 'user-agent': 'Googlebot/2.1 (+http://www.google.com/bot.html)' },
    })
    const [row] = await db.sql`select count(*)::int as n from page_views where source = 'crawler'`
    expect(row.n).toBe(0)
  })
})

describe('confirmation links', () => {
  async function tokenFor(email: string) {
    const [mail] = await db.sql<{ textBody: string }[]>`
      select text_body from outbound_emails where to_address = ${email}`
    return /\/confirm\/([A-Za-z0-9_-]{43})/.exec(mail.textBody)![1]
  }

  test('an unknown token is a friendly 404', async () => {
    const res = await fetch(`${server.url}/confirm/${'x'.repeat(43)}`)
    expect(res.status).toBe(404)
    expect(await res.text()).toMatch(/<h1[^>]*>This link doesn(&#x27;|')t work<\/h1>/)
    const junk = await fetch(`${server.url}/confirm/junk`, { method: 'POST', redirect: 'manual' })
    expect(junk.status).toBe(404)
  })

  test('an expired token is a friendly 410 and confirms nothing', async () => {
    await signFromForm(SLUG, form(signer('late@example.com')), { requestLocale: 'en', ip: null })
    const token = await tokenFor('late@example.com')
    await db.sql`update email_tokens set expires_at = now() - interval '1 minute'
                 where subject_id = (select s.id::text from signatures s join supporters p on p.id = s.supporter_id where p.email = 'late@example.com')`
    const res = await fetch(`${server.url}/confirm/${token}`)
    expect(res.status).toBe(410)
    expect(await res.text()).toContain('This link has expired')
    const post = await fetch(`${server.url}/confirm/${token}`, {
      method: 'POST',
      redirect: 'manual',
    })
    expect(post.status).toBe(410)
    const [row] =
      await db.sql`select s.confirmed_at from signatures s join supporters p on p.id = s.supporter_id where p.email = 'late@example.com'`
    expect(row.confirmedAt).toBeNull()
  })

  test('GET does not confirm; POST confirms once, applies the list opt-in, then the link is used', async () => {
    await signFromForm(SLUG, form({ ...signer('optin@example.com'), optIn: 'on' }), {
      requestLocale: 'es',
      ip: null,
    })
    const token = await tokenFor('optin@example.com')
    const [stored] =
      await db.sql`select count(*)::int as n from email_tokens where token_hash = sha256(${Buffer.from(token)})`
    expect(stored.n).toBe(1) // only the hash is stored

    const view = await fetch(`${server.url}/confirm/${token}`)
    expect(view.status).toBe(200)
    const status = async () =>
      (
        await db.sql`select s.confirmed_at is not null as confirmed, p.list_opt_in
                     from signatures s join supporters p on p.id = s.supporter_id
                     where p.email = 'optin@example.com'`
      )[0]
    expect(await status()).toEqual({ confirmed: false, listOptIn: false })

    const res = await fetch(`${server.url}/confirm/${token}`, {
      method: 'POST',
      redirect: 'manual',
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toMatch(/\/thanks\?confirmed=1&code=/)
    expect(await status()).toEqual({ confirmed: true, listOptIn: true })

    const again = await fetch(`${server.url}/confirm/${token}`)
    expect(again.status).toBe(410)
    expect(await again.text()).toContain('This link was already used')
  })
})
