import '#tests/setup/app-env'
import { expect, test } from 'vitest'
import { getSql } from '#db/client'
import { signFromForm } from '#app/signatures/signatures.server'
import { action, loader } from '#app/routes/admin.safety'
// Aliased: the react-hooks lint rule reads any top-level use*() call as a hook.
import { useAppDatabase as appDatabase } from '#tests/setup/db'
import { contextFor, settle, signedInOrganizer } from '#tests/setup/organizers'
import { rateLimitRefusal } from '#app/http/rate-limit.server'

appDatabase()

const SLUG = 'stop-red-notice-detentions'

function form(fields: Record<string, string>) {
  const fd = new FormData()
  for (const [k, v] of Object.entries(fields)) fd.set(k, v)
  return fd
}

async function sign(email: string, { protect = false, ip = '192.0.2.50' } = {}) {
  return signFromForm(
    SLUG,
    form({ firstName: 'Tess', lastName: 'Throw', email, zip: '30303', comment: '<b>hi</b>' }),
    { requestLocale: 'en', ip, protect },
  )
}

function adminRequest(cookie: string, fields?: Record<string, string>) {
  return new Request('http://localhost/admin/safety', {
    method: fields ? 'POST' : 'GET',
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: fields ? new URLSearchParams(fields) : undefined,
  })
}

async function publicCount() {
  const [{ total }] = await getSql()<{ total: number }[]>`
    select coalesce(sum(total), 0)::int as total from signature_counts
    where campaign_id = (select id from campaigns where slug = ${SLUG})`
  return total
}

async function auditActions() {
  const rows = await getSql()<{ action: string }[]>`
    select action from audit_log where action like 'safety.%' order by id`
  return rows.map((r) => r.action)
}

test('organizers see held signatures and release or delete them, audited; viewers are refused', async () => {
  const { cookie } = await signedInOrganizer('organizer')
  const viewer = await signedInOrganizer('viewer')
  const before = await publicCount()
  await sign('one@mailinator.com')
  await sign('two@mailinator.com')
  expect(await publicCount()).toBe(before) // held: not counted

  const refused = await settle(() =>
    loader({ request: adminRequest(viewer.cookie), params: {}, context: contextFor() }),
  )
  expect(refused.response?.status).toBe(403)

  const page = await loader({ request: adminRequest(cookie), params: {}, context: contextFor() })
  const held = page.held.filter((h) => h.email.endsWith('@mailinator.com'))
  expect(held.map((h) => [h.email, h.flagReason]).sort()).toEqual([
    ['one@mailinator.com', 'disposable_email'],
    ['two@mailinator.com', 'disposable_email'],
  ])
  const one = held.find((h) => h.email === 'one@mailinator.com')!
  const two = held.find((h) => h.email === 'two@mailinator.com')!

  await action({
    request: adminRequest(cookie, { intent: 'release', signatureId: one.id }),
    params: {},
    context: contextFor(),
  })
  expect(await publicCount()).toBe(before + 1)
  await action({
    request: adminRequest(cookie, { intent: 'delete', signatureId: two.id }),
    params: {},
    context: contextFor(),
  })
  const left = await getSql()`select id from signatures where id in (${one.id}, ${two.id})`
  expect(left.map((r) => String(r.id))).toEqual([one.id])
  // A signature that is not held cannot be deleted from here.
  const notHeld = await settle(() =>
    action({
      request: adminRequest(cookie, { intent: 'delete', signatureId: one.id }),
      params: {},
      context: contextFor(),
    }),
  )
  expect(notHeld.response?.status).toBe(404)
  expect(await auditActions()).toEqual(['safety.signature_released', 'safety.signature_deleted'])
})

test('organizers edit the allow/block lists; a blocked domain is refused on the sign form', async () => {
  const { cookie } = await signedInOrganizer('organizer')
  const bad = await action({
    request: adminRequest(cookie, {
      intent: 'add-rule',
      kind: 'email_domain',
      value: 'not a domain',
      action: 'block',
    }),
    params: {},
    context: contextFor(),
  })
  expect((bad as { init: { status: number } }).init.status).toBe(400)

  await action({
    request: adminRequest(cookie, {
      intent: 'add-rule',
      kind: 'email_domain',
      value: 'Spam.Example',
      action: 'block',
      note: 'bot farm',
    }),
    params: {},
    context: contextFor(),
  })
  const page = await loader({ request: adminRequest(cookie), params: {}, context: contextFor() })
  const rule = page.rules.find((r) => r.value === 'spam.example')!
  expect(rule).toMatchObject({ kind: 'email_domain', action: 'block', note: 'bot farm' })

  // the capability refuses with an outcome; the route turns it into a 403
  const refused = await sign('someone@spam.example', { protect: true })
  expect(refused).toMatchObject({ kind: 'limited', decision: { reason: 'blocked' } })
  if (refused.kind !== 'limited') throw new Error('expected a refusal')
  expect(rateLimitRefusal(refused.decision).init?.status).toBe(403)
  const [{ n }] = await getSql()<{ n: number }[]>`
    select count(*)::int as n from supporters where email = 'someone@spam.example'`
  expect(n).toBe(0)

  await action({
    request: adminRequest(cookie, { intent: 'delete-rule', ruleId: String(rule.id) }),
    params: {},
    context: contextFor(),
  })
  const after = await loader({ request: adminRequest(cookie), params: {}, context: contextFor() })
  expect(after.rules.find((r) => r.value === 'spam.example')).toBeUndefined()
  expect((await auditActions()).slice(-2)).toEqual([
    'safety.access_rule_saved',
    'safety.access_rule_deleted',
  ])
})

test('a held signature gets no confirmation email; releasing it queues one with a working link', async () => {
  const { checkConfirmToken } = await import('#app/signatures/signatures.server')
  const { cookie } = await signedInOrganizer('organizer')
  const outbox = (email: string) =>
    getSql()<{ template: string; status: string; textBody: string }[]>`
      select template, status, text_body from outbound_emails where to_address = ${email}`
  // with an IP (the burst check's transaction) and without one (the single statement)
  for (const ip of ['192.0.2.51', null]) {
    const email = `held-${ip ? 'ip' : 'noip'}@mailinator.com`
    await signFromForm(SLUG, form({ firstName: 'Hal', lastName: 'Held', email, zip: '30303' }), {
      requestLocale: 'es',
      ip,
    })
    const [held] = await getSql()<{ id: string; held: boolean }[]>`
      select s.id::text, s.held from signatures s join supporters p on p.id = s.supporter_id
      where p.email = ${email}`
    expect(held.held).toBe(true)
    expect(await outbox(email)).toEqual([])

    await action({
      request: adminRequest(cookie, { intent: 'release', signatureId: held.id }),
      params: {},
      context: contextFor(),
    })
    const mails = await outbox(email)
    expect(mails).toMatchObject([{ template: 'confirm-signature', status: 'queued' }])
    // in the signer's language, with a link that confirms
    expect(mails[0].textBody).toContain('Confirma')
    const token = /\/confirm\/([A-Za-z0-9_-]{43})/.exec(mails[0].textBody)![1]
    expect(await checkConfirmToken(token)).toMatchObject({ state: 'valid', campaignSlug: SLUG })
  }
})
