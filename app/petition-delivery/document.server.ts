import { stringify } from 'csv-stringify/sync'
import type { TFunction } from 'i18next'
import { escapeCell } from '#app/exports/csv.server'
import type { PetitionOfficeDelivery, PetitionSigner } from '#db/queries/petition-deliveries'

// What one office receives: a cover letter (the ask, the counts, the date range) and the signer
// list (first name, last name, city, ZIP, comment; never email or street), as a printable HTML
// document (the packet, and the email's body) and as CSV (the packet's download, the email's
// attachment). Printed in English: it goes to U.S. offices, as letter packets do.

export type PetitionDocumentInput = {
  delivery: PetitionOfficeDelivery
  copy: { headline: string; ask: string }
  signers: { named: PetitionSigner[]; unnamed: number }
  orgName: string
  t: TFunction
  locale: string
}

const escapeHtml = (s: string) =>
  s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')

function day(date: Date | null, locale: string) {
  return date
    ? new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(date)
    : ''
}

/** The cover letter's paragraphs, as plain text (escaped by the HTML renderer). */
export function coverParagraphs({
  delivery: d,
  copy,
  signers,
  orgName,
  t,
  locale,
}: PetitionDocumentInput) {
  const n = (v: number) => new Intl.NumberFormat(locale).format(v)
  const office = `${d.officeTitle} ${d.officeName}`.trim()
  const from = day(d.firstSignedAt, locale)
  const to = day(d.lastSignedAt, locale)
  const lines = [
    t('petitionDelivery:cover.salutation', { office }),
    t('petitionDelivery:cover.intro', {
      org: orgName,
      count: d.roundSignatures,
      countText: n(d.roundSignatures),
      headline: copy.headline,
    }),
    copy.ask ? t('petitionDelivery:cover.ask', { ask: copy.ask }) : null,
    from === to
      ? t('petitionDelivery:cover.rangeOneDay', { date: from })
      : t('petitionDelivery:cover.range', { from, to }),
    d.roundNumber > 1 && d.previousRoundAt
      ? t('petitionDelivery:cover.redelivery', {
          since: day(d.previousRoundAt, locale),
          total: n(d.totalDelivered),
        })
      : null,
    d.constituents === null
      ? null
      : t(
          `petitionDelivery:cover.constituents.${d.audience === 'district' ? 'district' : 'state'}`,
          {
            count: d.constituents,
            countText: n(d.constituents),
          },
        ),
    t(`petitionDelivery:cover.list.${d.audience === 'everyone' ? 'everyone' : 'constituents'}`, {
      count: d.listed,
      countText: n(d.listed),
    }),
    signers.unnamed > 0
      ? t('petitionDelivery:cover.unnamed', {
          count: signers.unnamed,
          countText: n(signers.unnamed),
        })
      : null,
    t('petitionDelivery:cover.closing', { org: orgName }),
  ]
  return lines.filter((l): l is string => Boolean(l))
}

export function petitionDocumentTitle({ delivery: d, copy, t }: PetitionDocumentInput) {
  return t('petitionDelivery:cover.title', {
    headline: copy.headline,
    office: `${d.officeTitle} ${d.officeName}`.trim(),
  })
}

/** The printable document: the cover letter on its first page, then the signer list. */
export function petitionDocumentHtml(input: PetitionDocumentInput): string {
  const { delivery: d, signers, t, locale } = input
  const title = escapeHtml(petitionDocumentTitle(input))
  const cover = coverParagraphs(input)
    .map((p) => `<p>${escapeHtml(p).replaceAll('\n', '<br>')}</p>`)
    .join('\n')
  const rows = signers.named
    .map(
      (s) =>
        `<tr><td>${escapeHtml(s.firstName ?? '')}</td><td>${escapeHtml(s.lastName ?? '')}</td>` +
        `<td>${escapeHtml(s.city ?? '')}</td><td>${escapeHtml(s.zip ?? '')}</td>` +
        `<td>${escapeHtml(s.comment ?? '')}</td></tr>`,
    )
    .join('\n')
  const h = (k: string) => escapeHtml(t(`petitionDelivery:list.${k}`))
  return `<!doctype html>
<html lang="${escapeHtml(locale)}">
<head>
<meta charset="utf-8">
<title>${title}</title>
<style>
  body { font: 12pt/1.5 Georgia, serif; margin: 0 auto; max-width: 7.5in; padding: 0.5in; }
  .cover { page-break-after: always; break-after: page; }
  h1 { font-size: 15pt; } h2 { font-size: 13pt; }
  table { border-collapse: collapse; width: 100%; font-size: 10pt; }
  th, td { border: 1px solid #555; padding: 3px 5px; text-align: left; vertical-align: top; }
  thead { display: table-header-group; } tr { page-break-inside: avoid; break-inside: avoid; }
</style>
</head>
<body>
<main>
<section class="cover">
<h1>${title}</h1>
<p>${escapeHtml(day(d.createdAt, locale))}</p>
${cover}
</section>
<section>
<h2>${h('title')}</h2>
${
  signers.named.length === 0
    ? `<p>${h('empty')}</p>`
    : `<table>
<thead><tr><th scope="col">${h('firstName')}</th><th scope="col">${h('lastName')}</th><th scope="col">${h('city')}</th><th scope="col">${h('zip')}</th><th scope="col">${h('comment')}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`
}
</section>
</main>
</body>
</html>`
}

/** The email's text part: the cover letter, then the list. */
export function petitionDocumentText(input: PetitionDocumentInput): string {
  const { signers, t } = input
  const list = signers.named.map((s) =>
    [
      `${s.firstName ?? ''} ${s.lastName ?? ''}`.trim(),
      `${s.city ?? ''} ${s.zip ?? ''}`.trim(),
      s.comment ? `"${s.comment}"` : '',
    ]
      .filter(Boolean)
      .join(', '),
  )
  return [
    petitionDocumentTitle(input),
    '',
    ...coverParagraphs(input).flatMap((p) => [p, '']),
    t('petitionDelivery:list.title'),
    '',
    ...(list.length ? list : [t('petitionDelivery:list.empty')]),
    '',
  ].join('\n')
}

/** The signer list as CSV; supporter-written cells are escaped against spreadsheet formulas. */
export function petitionDocumentCsv({ signers }: Pick<PetitionDocumentInput, 'signers'>): string {
  return stringify(
    signers.named.map((s) =>
      [s.firstName, s.lastName, s.city, s.zip, s.comment].map((v) => escapeCell(v)),
    ),
    { header: true, columns: ['first_name', 'last_name', 'city', 'zip', 'comment'] },
  )
}

export function petitionCsvFilename(
  d: Pick<PetitionOfficeDelivery, 'campaignSlug' | 'officeKey' | 'createdAt'>,
) {
  const office = d.officeKey.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')
  return `petition-${d.campaignSlug}-${office}-${d.createdAt.toISOString().slice(0, 10)}.csv`
}
