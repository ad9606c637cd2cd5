import { expect as baseExpect, test, type Page } from '@playwright/test'
import { expectNoSeriousA11yViolations } from './a11y'
import { waitForMail } from './mail'

// The machine is shared and slow: give the UI more than the default 5 s to settle.
const expect = baseExpect.configure({ timeout: 20_000 })

// The development demo owner, seeded by the harness (see app/organizers/organizers.server.ts).
const EMAIL = 'demo@writ.localhost'
const PASSWORD = 'writ-demo-organizer'

async function signIn(page: Page) {
  await page.goto('/admin')
  await expect(page).toHaveURL(/\/admin\/login\?redirectTo=%2Fadmin/)
  await page.getByLabel('Email').fill(EMAIL)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()
}

test('the login page passes axe and refuses a wrong password without saying why', async ({
  page,
}) => {
  await page.goto('/admin/login')
  await expect(page.getByRole('heading', { level: 1, name: 'Organizer sign-in' })).toBeVisible()
  await expectNoSeriousA11yViolations(page)
  await page.getByLabel('Email').fill('nobody@example.org')
  await page.getByLabel('Password').fill('wrong password here')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('alert')).toContainText(
    "That email and password don't match an active organizer account.",
  )
  await expect(page).toHaveURL(/\/admin\/login/)
})

test('after a wrong password the right one signs in, and a redirect off the site lands on /admin', async ({
  page,
}) => {
  // /%09/ is a tab: browsers drop it, which would make "//evil.example"
  await page.goto('/admin/login?redirectTo=/%09/evil.example')
  await page.getByLabel('Email').fill(EMAIL)
  await page.getByLabel('Password').fill('not the password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('alert')).toContainText("don't match an active organizer account")
  await page.getByLabel('Email').fill(EMAIL)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()
  expect(new URL(page.url()).origin).toBe(new URL(test.info().project.use.baseURL!).origin)
  expect(new URL(page.url()).pathname).toBe('/admin')
})

test('an organizer creates a letter campaign in English and Spanish, publishes it, and signs out', async ({
  page,
}) => {
  // a long journey with three axe runs, on a shared 2-core machine
  test.setTimeout(180_000)
  const slug = `e2e-letter-${Date.now().toString(36)}`
  await signIn(page)
  await expectNoSeriousA11yViolations(page)

  await page
    .getByRole('navigation', { name: 'Organizer workspace' })
    .getByRole('link', { name: 'Campaigns' })
    .click()
  await page.getByRole('link', { name: 'New campaign' }).click()
  await page.getByLabel('Address (slug)').fill(slug)
  await page.getByLabel('Kind').selectOption('letter')
  await page.getByLabel('Signature goal').fill('750')

  const en = page.getByRole('group', { name: 'Copy in English' })
  await en.getByLabel('Headline').fill('Stop backdoor extraditions now')
  await en.getByLabel('Summary').fill('Write to Congress about Red Notices.')
  await en
    .getByLabel('Facts with sources')
    .fill(
      'A Red Notice alone does not justify arrest | Hernandez Lara v. Barr | https://example.org/case',
    )
  await en.getByLabel('Letter subject').fill('Pass S. 2525')
  await en
    .getByLabel('Suggested letter')
    .fill('Dear {{targetTitle}} {{targetName}},\nPlease act.\n{{firstName}}')

  const es = page.getByRole('group', { name: 'Copy in Spanish' })
  await es.getByLabel('Headline').fill('Frenemos las extradiciones encubiertas')
  await es.getByLabel('Summary').fill('Escriba al Congreso sobre las Notificaciones Rojas.')
  await es.getByLabel('Letter subject').fill('Aprueben la S. 2525')
  await es
    .getByLabel('Suggested letter')
    .fill('Estimado/a {{targetTitle}} {{targetName}}:\n{{firstName}}')
  await page.getByLabel('CWC topic').fill('Immigration')
  await page.getByRole('button', { name: 'Create the draft' }).click()

  await expect(page.getByText('Saved.')).toBeVisible()
  await expect(page.getByText('Status:')).toContainText('Draft')
  await expectNoSeriousA11yViolations(page)

  // Not public yet
  await page.goto('/')
  await expect(
    page.getByRole('link', { name: 'Stop backdoor extraditions now', exact: true }),
  ).toHaveCount(0)
  await page.goBack()

  await page.getByRole('button', { name: 'Publish' }).click()
  await expect(page.getByText('Published. The campaign is live.')).toBeVisible()

  await page.goto('/?lang=en')
  await expect(
    page.getByRole('link', { name: 'Stop backdoor extraditions now', exact: true }),
  ).toBeVisible()
  await page.goto('/?lang=es')
  await expect(
    page.getByRole('link', { name: 'Frenemos las extradiciones encubiertas', exact: true }),
  ).toBeVisible()
  await expect(
    page.getByRole('link', { name: 'Frenemos las extradiciones encubiertas', exact: true }),
  ).toHaveAttribute('href', `/c/${slug}`)

  // The admin pages are translated too.
  await page.goto('/admin/campaigns')
  await expect(page.getByRole('heading', { level: 1, name: 'Campañas' })).toBeVisible()
  await expect(page.getByRole('row', { name: /Frenemos|Stop backdoor/ })).toContainText('Publicada')
  await page.goto('/admin?lang=en')

  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page).toHaveURL(/\/admin\/login/)
  await page.goto('/admin/campaigns')
  await expect(page).toHaveURL(/\/admin\/login\?redirectTo=%2Fadmin%2Fcampaigns/)
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('sign-in, the editor and its validation work without JavaScript', async ({ page }) => {
    await signIn(page)
    await page.goto('/admin/campaigns/new')
    await page.getByLabel('Address (slug)').fill('Not A Slug')
    await page.getByRole('button', { name: 'Create the draft' }).click()
    await expect(page.getByText('Use lowercase letters, digits and hyphens')).toBeVisible()
    await expect(page.getByText('The main language needs a headline.')).toBeVisible()
    await expect(page.getByLabel('Address (slug)')).toHaveAttribute('aria-invalid', 'true')
  })
})

test('an anonymous visitor gets 401 from the supporter export', async ({ request }) => {
  const res = await request.get('/admin/privacy/00000000-0000-4000-8000-000000000000/export.json', {
    maxRedirects: 0,
  })
  expect(res.status()).toBe(401)
})

test('an owner invites an organizer, who sets a password from the emailed link and signs in', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000)
  const invitee = `invitee-${Date.now().toString(36)}@example.org`
  await signIn(page)
  await page
    .getByRole('navigation', { name: 'Organizer workspace' })
    .getByRole('link', { name: 'Organizers' })
    .click()
  await page.getByLabel('Email').fill(invitee)
  await page.getByLabel('Name').fill('New Organizer')
  await page.getByLabel('Role', { exact: true }).selectOption('viewer')
  await page.getByRole('button', { name: 'Send the invitation' }).click()
  await expect(page.getByText('Invitation sent.')).toBeVisible()
  await expect(page.getByRole('row', { name: new RegExp(invitee) })).toBeVisible()
  await expectNoSeriousA11yViolations(page)

  const mail = await waitForMail(invitee, (m) => /invited/.test(m.subject))
  const link = /(http:\/\/localhost:\d+\/admin\/reset-password\/[A-Za-z0-9_-]+)/.exec(
    mail.text,
  )?.[1]
  expect(link).toBeTruthy()

  const context = await browser.newContext()
  const other = await context.newPage()
  await other.goto(link!)
  await other.getByLabel('New password', { exact: true }).fill('invitee password 1234')
  await other.getByLabel('Repeat the new password').fill('invitee password 1234')
  await other.getByRole('button', { name: 'Save the new password' }).click()
  await expect(other.getByText('Your password was changed.')).toBeVisible()
  await other.getByLabel('Email').fill(invitee)
  await other.getByLabel('Password').fill('invitee password 1234')
  await other.getByRole('button', { name: 'Sign in' }).click()
  await expect(other.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()
  // a viewer has no privacy requests and no organizer management
  await expect(other.getByRole('link', { name: 'Privacy requests' })).toHaveCount(0)
  const forbidden = await other.goto('/admin/privacy')
  expect(forbidden?.status()).toBe(403)
  // a refusal that is not about another site does not blame one
  await expect(other.getByText(/^You are not allowed to do this\./)).toBeVisible()
  await expect(other.getByText(/another site/)).toHaveCount(0)
  // the link worked once
  await other.goto(link!)
  await expect(other.getByText('This link has expired or has already been used.')).toBeVisible()
  await context.close()

  // the owner sees the invite in the audit log
  await page.goto('/admin/audit')
  await expect(page.getByRole('cell', { name: 'organizer.invite' }).first()).toBeVisible()
})

test('offices page, supporters CSV download, privacy search and the public /privacy page', async ({
  page,
}) => {
  test.setTimeout(180_000)
  await signIn(page)
  await page.goto('/admin/campaigns')
  await page
    .getByRole('link', { name: /Offices & exports: Write to Congress/ })
    .first()
    .click()
  await expect(page.getByRole('heading', { level: 1, name: /Offices and exports/ })).toBeVisible()
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download all supporters (CSV)' }).click(),
  ])
  expect(download.suggestedFilename()).toBe('write-congress-red-notices-supporters-all.csv')
  const csv = await new Promise<string>((resolve, reject) => {
    void download.createReadStream().then((stream) => {
      let text = ''
      stream.on('data', (d) => (text += d))
      stream.on('end', () => resolve(text))
      stream.on('error', reject)
    })
  })
  expect(csv.replace(/^\uFEFF/, '').split('\n')[0]).toBe(
    'email,first_name,last_name,city,state,zip,locale,list_opt_in,signed_at,confirmed_at,source,comment',
  )

  await page.goto('/admin/privacy')
  await page.getByLabel("Supporter's email").fill('nobody-signed@example.org')
  await page.getByRole('button', { name: 'Find' }).click()
  await expect(page.getByText('No supporter has that email.')).toBeVisible()
  await expectNoSeriousA11yViolations(page)

  await page.goto('/privacy?lang=es')
  await expect(page.getByRole('heading', { level: 1, name: 'Su privacidad' })).toBeVisible()
  await page.goto('/privacy?lang=en')
  await expect(page.getByRole('heading', { level: 1, name: 'Your privacy' })).toBeVisible()
  await expect(
    page.getByRole('heading', { name: 'How to ask for your data or its erasure' }),
  ).toBeVisible()
  await expectNoSeriousA11yViolations(page)
})
