import { readFile } from 'node:fs/promises'
import { expect as baseExpect, test, type Download, type Page } from '@playwright/test'
import { LETTER_FORM_LABELS as LABELS } from './letter-form-labels'
import { expectNoSeriousA11yViolations } from './a11y'
import { waitForMail } from './mail'

// Issue #7's acceptance journey, through the real UI as a new organizer would live it: sign in,
// create a letter campaign in English and Spanish, publish it; two supporters (other browser
// contexts, no session) write their letters; the dashboard, opened before and never reloaded,
// shows the new signatures; then the supporters CSV and the staffer report are downloaded and
// read.

// The machine is shared and slow: give the UI more than the default 5 s to settle.
const expect = baseExpect.configure({ timeout: 20_000 })

// The development demo owner, seeded by the harness (see app/organizers/organizers.server.ts).
const EMAIL = 'demo@writ.localhost'
const PASSWORD = 'writ-demo-organizer'

// The dashboard re-runs its loader every 15 s while visible: a count may take that long, plus a
// loaded machine's latency, to appear. This waits for a UI state; it does not time anything.
const LIVE_UPDATE = { timeout: 45_000 }

const HEADLINE_EN = 'Free the asylum seekers held on Red Notices'
const HEADLINE_ES = 'Liberen a los solicitantes de asilo detenidos por Notificaciones Rojas'
const OMBUDS = {
  name: 'Ana Ruiz',
  title: 'Immigration Detention Ombudsperson',
  email: 'ombudsperson@journey.writ.example',
  salutation: 'Dear Ombudsperson Ruiz',
}
// Both supporters live at the recorded Cheyenne address (Wyoming: one at-large House seat).
const ADDRESS = { street: '200 W 24th St', city: 'Cheyenne', state: 'WY', zip: '82001' }
const HOUSE_MEMBER = 'Harriet M. Hageman'

async function signIn(page: Page) {
  await page.goto('/admin/login')
  await page.getByLabel('Email').fill(EMAIL)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()
}

/** A small RFC 4180 reader (quoted cells, doubled quotes, CRLF or LF), for the downloaded files. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  const endCell = () => {
    row.push(cell)
    cell = ''
  }
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') endCell()
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++
      endCell()
      rows.push(row)
      row = []
    } else cell += ch
  }
  if (cell || row.length) {
    endCell()
    rows.push(row)
  }
  return rows
}

async function downloadCsv(page: Page, linkName: string) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: linkName, exact: true }).click(),
  ])
  const path = await (download as Download).path()
  const text = await readFile(path, 'utf8')
  expect(text.startsWith('\uFEFF'), 'the file starts with a UTF-8 BOM for Excel').toBe(true)
  return { filename: download.suggestedFilename(), text, rows: parseCsv(text.slice(1)) }
}

/** The dashboard's number for one campaign in one column, found by the column's header. */
async function dashboardCell(page: Page, headline: string, column: string) {
  const table = page.getByRole('region', { name: 'Signatures by campaign' }).getByRole('table')
  const headers = (await table.locator('thead th').allTextContents()).map((h) => h.trim())
  const index = headers.indexOf(column)
  expect(index, `the dashboard has a "${column}" column`).toBeGreaterThan(0)
  return table
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: headline, exact: true }) })
    .locator('th, td')
    .nth(index)
}

type Supporter = {
  lang: 'en' | 'es'
  prefix: string
  first: string
  last: string
  email: string
  optIn: boolean
  /** a line the supporter adds to the suggested letter */
  addLine?: string
}

/** A supporter's letter, in their own browser context: address → offices → letter → send. */
async function writeLetter(page: Page, slug: string, s: Supporter) {
  const l = LABELS[s.lang]
  await page.goto(`/c/${slug}?lang=${s.lang}`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    s.lang === 'es' ? HEADLINE_ES : HEADLINE_EN,
  )
  await page.getByLabel(l.prefix, { exact: true }).selectOption(s.prefix)
  await page.getByLabel(l.first, { exact: true }).fill(s.first)
  await page.getByLabel(l.last, { exact: true }).fill(s.last)
  await page.getByLabel(l.email, { exact: true }).fill(s.email)
  await page.getByLabel(l.street, { exact: true }).fill(ADDRESS.street)
  await page.getByLabel(l.city, { exact: true }).fill(ADDRESS.city)
  await page.getByLabel(l.state, { exact: true }).selectOption(ADDRESS.state)
  await page.getByLabel(l.zip, { exact: true }).fill(ADDRESS.zip)
  const optIn = page.getByLabel(l.optIn)
  if (s.optIn) await optIn.check()
  else await expect(optIn).not.toBeChecked()
  await page.getByRole('button', { name: l.find }).click()

  // House + two Senators (the campaign's Congress targets) + the named official
  const targets = page.getByTestId('letter-targets')
  await expect(targets.getByRole('listitem')).toHaveCount(4)
  await expect(targets).toContainText(HOUSE_MEMBER)
  await expect(targets).toContainText(OMBUDS.name)
  const message = page.getByLabel(l.message, { exact: true })
  // the suggested letter in the supporter's language, merge fields still to fill per office
  await expect(message).toHaveValue(
    s.lang === 'es'
      ? /^Estimado\/a \{\{targetTitle\}\} \{\{targetName\}\}:/
      : /^Dear \{\{targetTitle\}\} \{\{targetName\}\},/,
  )
  if (s.addLine) {
    await message.fill(`${await message.inputValue()}\n\n${s.addLine}`)
  }
  await page.getByRole('button', { name: l.send }).click()
  await expect(page).toHaveURL(new RegExp(`/c/${slug}/sent/`))
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    s.lang === 'es'
      ? `Gracias, ${s.first}. Tu carta va en camino.`
      : `Thank you, ${s.first}. Your letter is on its way.`,
  )
}

test('issue #7: an organizer publishes a bilingual letter campaign, watches it live, and exports', async ({
  page,
  browser,
}) => {
  // a long journey (two letters through the fake geocoder, two dashboard refreshes of up to 15 s)
  test.setTimeout(240_000)
  const stamp = Date.now().toString(36)
  const slug = `journey-${stamp}`
  const rosa: Supporter = {
    lang: 'en',
    prefix: 'Ms.',
    first: 'Rosa',
    last: 'Delgado',
    email: `rosa-${stamp}@example.org`,
    optIn: true,
    addLine: 'My neighbor spent five months in detention on a Red Notice.',
  }
  const mateo: Supporter = {
    lang: 'es',
    prefix: 'Mr.',
    first: 'Mateo',
    last: 'Fuentes Núñez',
    email: `mateo-${stamp}@example.org`,
    optIn: false,
  }

  // 1. Sign in
  await signIn(page)

  // 2. A letter campaign in English and Spanish
  const nav = page.getByRole('navigation', { name: 'Organizer workspace' })
  await nav.getByRole('link', { name: 'Campaigns' }).click()
  await page.getByRole('link', { name: 'New campaign' }).click()
  await page.getByLabel('Address (slug)').fill(slug)
  await page.getByLabel('Kind').selectOption('letter')
  await page.getByLabel('Signature goal').fill('500')

  const en = page.getByRole('group', { name: 'Copy in English' })
  await en.getByLabel('Headline').fill(HEADLINE_EN)
  await en
    .getByLabel('Summary')
    .fill('Ask your members of Congress to end detention on Red Notices.')
  await en
    .getByLabel('Story')
    .fill('Interpol Red Notices are requests, not warrants, yet people are jailed on them alone.')
  await en
    .getByLabel('Facts with sources')
    .fill(
      'A Red Notice alone does not justify arrest | Hernandez Lara v. Barr | https://example.org/case',
    )
  await en.getByLabel('Letter subject').fill('End detention on Red Notices alone')
  await en
    .getByLabel('Suggested letter')
    .fill(
      'Dear {{targetTitle}} {{targetName}},\n\nPlease end detention on Red Notices alone.\n\n{{firstName}} {{lastName}}, {{city}}',
    )
  // the named official's letter: the organization's, signed by the writer (ADR 0904)
  await en.getByLabel('Officials’ letter: subject').fill('Detention on Red Notices alone')
  await en
    .getByLabel('Officials’ letter', { exact: true })
    .fill(
      '{{salutation}},\n\nWe ask your office to review every such case.\n\n{{firstName}} {{lastName}}, {{city}}',
    )

  const es = page.getByRole('group', { name: 'Copy in Spanish' })
  await es.getByLabel('Headline').fill(HEADLINE_ES)
  await es.getByLabel('Summary').fill('Pida a sus congresistas que terminen estas detenciones.')
  await es.getByLabel('Letter subject').fill('Terminen las detenciones por Notificaciones Rojas')
  await es
    .getByLabel('Suggested letter')
    .fill(
      'Estimado/a {{targetTitle}} {{targetName}}:\n\nTerminen las detenciones por Notificaciones Rojas.\n\n{{firstName}} {{lastName}}, {{city}}',
    )
  await es.getByLabel('Officials’ letter: subject').fill('Detenciones por Notificaciones Rojas')
  await es
    .getByLabel('Officials’ letter', { exact: true })
    .fill(
      '{{salutation}}:\n\nPedimos a su oficina revisar cada caso.\n\n{{firstName}} {{lastName}}, {{city}}',
    )
  await page.getByLabel('Supporters may edit the letter').check()
  await page.getByLabel('CWC topic').fill('Immigration')

  // Targets: the supporter's Representative and Senators (checked by default) and a named official
  const targets = page.getByRole('group', { name: 'Targets' })
  await expect(targets.getByLabel("The supporter's U.S. Representative")).toBeChecked()
  await expect(targets.getByLabel("The supporter's two U.S. Senators")).toBeChecked()
  await targets
    .getByLabel('Named officials')
    .fill(`${OMBUDS.name} | ${OMBUDS.title} | email | ${OMBUDS.email} | ${OMBUDS.salutation}`)
  await page.getByRole('button', { name: 'Create the draft' }).click()
  await expect(page.getByText('Saved.')).toBeVisible()
  await expect(page).toHaveURL(/\/admin\/campaigns\/[0-9a-f-]{36}\?saved=1$/)
  await expect(page.getByLabel('Named officials')).toHaveValue(
    `${OMBUDS.name} | ${OMBUDS.title} | email | ${OMBUDS.email} | ${OMBUDS.salutation}`,
  )

  // 3. Publish
  await page.getByRole('button', { name: 'Publish' }).click()
  await expect(page.getByText('Published. The campaign is live.')).toBeVisible()
  await expect(page.getByText('Status:')).toContainText('Live')

  // 4. The dashboard, opened now and never reloaded
  await nav.getByRole('link', { name: 'Dashboard' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()
  const unconfirmed = await dashboardCell(page, HEADLINE_EN, 'Unconfirmed')
  const confirmed = await dashboardCell(page, HEADLINE_EN, 'Confirmed')
  await expect(unconfirmed).toHaveText('0')
  await expect(confirmed).toHaveText('0')
  const dashboardUrl = page.url()
  await page.evaluate(() => {
    ;(window as unknown as { journeyMarker: string }).journeyMarker = 'still here'
  })

  // 5. Supporters, each in a browser context of their own (no organizer session)
  const rosaContext = await browser.newContext()
  const rosaPage = await rosaContext.newPage()
  // the public page in both languages
  await rosaPage.goto(`/c/${slug}?lang=es`)
  await expect(rosaPage.getByRole('heading', { level: 1 })).toHaveText(HEADLINE_ES)
  await expect(rosaPage.locator('html')).toHaveAttribute('lang', 'es')
  await expect(rosaPage.getByText('Pida a sus congresistas')).toBeVisible()
  await expectNoSeriousA11yViolations(rosaPage)
  await writeLetter(rosaPage, slug, rosa)

  // the organizer's dashboard shows the new (unconfirmed) signature without a reload
  await expect(unconfirmed).toHaveText('1', LIVE_UPDATE)
  await expect(confirmed).toHaveText('0')

  const mateoContext = await browser.newContext()
  const mateoPage = await mateoContext.newPage()
  await writeLetter(mateoPage, slug, mateo)

  // Rosa confirms her email from the link the sink caught
  const confirmMail = await waitForMail(rosa.email, (m) => m.subject.includes('Confirm'), 30_000)
  const confirmUrl = /https?:\/\/\S+\/confirm\/[A-Za-z0-9_-]{43}/.exec(confirmMail.text)?.[0]
  expect(confirmUrl).toBeTruthy()
  await rosaPage.goto(confirmUrl!)
  await rosaPage.getByRole('button', { name: 'Confirm my signature' }).click()
  await expect(
    rosaPage.getByRole('heading', { level: 1, name: 'Your signature is confirmed' }),
  ).toBeVisible()

  await expect(confirmed).toHaveText('1', LIVE_UPDATE)
  await expect(unconfirmed).toHaveText('1', LIVE_UPDATE)
  // no navigation happened: same document, same address
  expect(
    await page.evaluate(() => (window as unknown as { journeyMarker?: string }).journeyMarker),
  ).toBe('still here')
  expect(page.url()).toBe(dashboardUrl)
  await expectNoSeriousA11yViolations(page)

  // The named official got the organization's letter by email, greeted as the organizer wrote
  // and signed by Rosa; her own words went to her legislators (ADR 0904)
  const official = await waitForMail(OMBUDS.email, (m) => m.text.includes('Rosa'), 30_000)
  expect(official.text).toContain(`${OMBUDS.salutation},`)
  expect(official.text).toContain('We ask your office to review every such case.')
  expect(official.text).toContain('Rosa Delgado, Cheyenne')
  expect(official.text).not.toContain('My neighbor spent five months in detention on a Red Notice.')
  await rosaContext.close()
  await mateoContext.close()

  // 6. The exports, through the links on the campaign's offices page
  await nav.getByRole('link', { name: 'Campaigns' }).click()
  await page.getByRole('link', { name: `Offices & exports: ${HEADLINE_EN}`, exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: /Offices and exports/ })).toBeVisible()

  const header = [
    'email',
    'first_name',
    'last_name',
    'city',
    'state',
    'zip',
    'locale',
    'list_opt_in',
    'signed_at',
    'confirmed_at',
    'source',
    'comment',
  ]
  // by default, only supporters who agreed to hear from us: Rosa, not Mateo
  const consenting = await downloadCsv(page, 'Download supporters who agreed to hear from us (CSV)')
  expect(consenting.filename).toBe(`${slug}-supporters.csv`)
  expect(consenting.rows[0]).toEqual(header)
  expect(consenting.rows.slice(1)).toHaveLength(1)
  const rosaRow = Object.fromEntries(header.map((h, i) => [h, consenting.rows[1][i]]))
  expect(rosaRow).toMatchObject({
    email: rosa.email,
    first_name: 'Rosa',
    last_name: 'Delgado',
    city: 'Cheyenne',
    state: 'WY',
    zip: '82001',
    locale: 'en',
    list_opt_in: 'yes',
  })
  expect(rosaRow.confirmed_at).toMatch(/^\d{4}-\d\d-\d\dT/)
  expect(consenting.text).not.toContain(mateo.email)

  // "all supporters" has Mateo too, without list consent and unconfirmed
  const all = await downloadCsv(page, 'Download all supporters (CSV)')
  expect(all.filename).toBe(`${slug}-supporters-all.csv`)
  expect(all.rows[0]).toEqual(header)
  const byEmail = new Map(all.rows.slice(1).map((r) => [r[0], r]))
  expect([...byEmail.keys()].sort()).toEqual([mateo.email, rosa.email].sort())
  const mateoRow = Object.fromEntries(header.map((h, i) => [h, byEmail.get(mateo.email)![i]]))
  expect(mateoRow).toMatchObject({
    first_name: 'Mateo',
    last_name: 'Fuentes Núñez',
    locale: 'es',
    list_opt_in: 'no',
    confirmed_at: '',
  })

  // the staffer report for the House office: name, city and ZIP only
  const houseRow = page.getByRole('row', { name: new RegExp(HOUSE_MEMBER) })
  await expect(houseRow.getByRole('cell').first()).toHaveText('2')
  // Mateo's letter stored the title in Spanish; the organizer reads it in English
  await expect(houseRow.getByRole('rowheader')).toHaveText(`${HOUSE_MEMBER}Representative`)
  const ombudsRow = page.getByRole('row', { name: new RegExp(OMBUDS.name) })
  await expect(ombudsRow.getByRole('cell').first()).toHaveText('2')
  await expectNoSeriousA11yViolations(page)
  const report = await downloadCsv(page, `Constituents who wrote to ${HOUSE_MEMBER} (CSV)`)
  expect(report.filename).toMatch(new RegExp(`^${slug}-[A-Za-z0-9-]+-constituents\\.csv$`))
  expect(report.rows).toEqual([
    ['name', 'city', 'zip'],
    ['Rosa Delgado', 'Cheyenne', '82001'],
    ['Mateo Fuentes Núñez', 'Cheyenne', '82001'],
  ])
  for (const secret of [rosa.email, mateo.email, '@', ADDRESS.street, '24th']) {
    expect(report.text).not.toContain(secret)
  }
})
