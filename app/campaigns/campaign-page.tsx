import { useTranslation } from 'react-i18next'
import type { CampaignPage as Campaign, RecentSigner, SignatureCount } from './campaigns.server'
import type { Tracking } from './tracking'
import { recentSignerLabel } from './recent-signer'
import { Thermometer } from './thermometer'
import { useNonce } from '#app/utils/nonce-provider'

// Type-only imports from a .server module are erased at build time: no server code reaches the browser.

export type CampaignPageData = {
  campaign: Campaign
  count: SignatureCount
  recentSigners: RecentSigner[]
  /** the petition's deliveries so far (ADR 0901), null before the first */
  delivered?: { offices: number; on: string } | null
  tracking: Tracking
}

/**
 * The campaign page, in parts. `action` is the section where the supporter acts: the sign form
 * for petitions; letter campaigns pass their own section (app/letters/).
 */
export function CampaignPage({
  data,
  action,
}: {
  data: CampaignPageData
  action: React.ReactNode
}) {
  const { campaign, count, recentSigners } = data
  const { t, i18n } = useTranslation('petitions')
  const nonce = useNonce()
  const copyLang = campaign.copyLocale !== i18n.language ? campaign.copyLocale : undefined
  return (
    <article className="campaign" lang={copyLang}>
      <header className="campaign-header">
        <p className="tag">{t(`kind.${campaign.kind}`)}</p>
        <h1>{campaign.headline}</h1>
        {/* On phones the form starts screens below; an in-page link (no JS) reaches it,
            right under the headline so that a long summary cannot push it off the first screen. */}
        {campaign.status === 'live' ? (
          <p className="jump-to-act">
            <a className="button" href="#act-title">
              {t(
                campaign.kind === 'letter'
                  ? 'page.jumpWrite'
                  : campaign.kind === 'call'
                    ? 'page.jumpCall'
                    : 'page.jumpSign',
              )}
            </a>
          </p>
        ) : null}
        {campaign.summary ? <p className="lede">{campaign.summary}</p> : null}
        {copyLang ? (
          <p className="banner banner-warn" lang={i18n.language}>
            {t('page.copyFallback')}
          </p>
        ) : null}
      </header>
      {/* On phones the form comes right after the count and the ask; on wide screens it sits
          beside the story (grid areas in petitions.css). */}
      <div className="campaign-grid">
        <div className="campaign-lead">
          <Thermometer
            count={count.total}
            goal={campaign.goal}
            liveUrl={`/c/${campaign.slug}/count.json?lang=${i18n.language}`}
          />
          {data.delivered ? <DeliveredLine {...data.delivered} /> : null}
          {campaign.ask ? (
            <section aria-labelledby="ask-title" className="ask">
              <h2 id="ask-title">{t('page.askTitle')}</h2>
              <p>{campaign.ask}</p>
            </section>
          ) : null}
        </div>
        <aside className="campaign-side" aria-labelledby="act-title">
          <h2 id="act-title">
            {t(
              campaign.kind === 'letter'
                ? 'page.letterTitle'
                : campaign.kind === 'call'
                  ? 'page.callTitle'
                  : 'page.signTitle',
            )}
          </h2>
          {campaign.status === 'live' ? (
            action
          ) : (
            <p className="banner banner-warn">{t('page.closed')}</p>
          )}
          <RecentSigners signers={recentSigners} />
        </aside>
        <div className="campaign-body">
          <Story text={campaign.story} />
          <WhyItMatters campaign={campaign} />
        </div>
      </div>
      {/* The live count (ADR 1102): a few hundred bytes, no framework; the page is whole without it. */}
      <script nonce={nonce} src="/live-count.js" defer />
    </article>
  )
}

function Story({ text }: { text: string }) {
  const { t } = useTranslation('petitions')
  if (!text) return null
  return (
    <section aria-labelledby="story-title" className="story">
      <h2 id="story-title">{t('page.storyTitle')}</h2>
      {text.split(/\n{2,}/).map((p, i) => (
        <p key={i}>{linkify(p)}</p>
      ))}
    </section>
  )
}

/** A story's cited pages (plain https URLs in the text) become links. */
function linkify(text: string) {
  return text.split(/(https:\/\/[^\s()]+)/).map((part, i) =>
    i % 2 ? (
      <a key={i} href={part} rel="noopener noreferrer">
        {part}
      </a>
    ) : (
      part
    ),
  )
}

function WhyItMatters({ campaign }: { campaign: Campaign }) {
  const { t } = useTranslation('petitions')
  const { facts, bill } = campaign
  if (!facts.length && !bill) return null
  return (
    <section aria-labelledby="why-title" className="why">
      <h2 id="why-title">{t('page.whyTitle')}</h2>
      {facts.length ? (
        <ul className="facts">
          {facts.map((f) => (
            <li key={f.sourceUrl + f.text}>
              <p>{f.text}</p>
              <p className="source">
                {t('page.source')}{' '}
                <a href={f.sourceUrl} rel="noopener noreferrer">
                  {f.sourceTitle}
                </a>
              </p>
            </li>
          ))}
        </ul>
      ) : null}
      {bill ? (
        <div className="bill">
          <h3>{t('page.billTitle')}</h3>
          <p>
            <strong>
              {bill.type}. {bill.number}
            </strong>{' '}
            ({t('page.congress', { congress: bill.congress })}): {bill.title}
          </p>
          {bill.url ? (
            <p>
              <a href={bill.url} rel="noopener noreferrer">
                {t('page.billLink', { bill: `${bill.type}. ${bill.number}` })}
              </a>
            </p>
          ) : null}
          {bill.companion ? (
            <p>
              {t('page.billCompanion', {
                bill: `${bill.companion.type}. ${bill.companion.number}`,
              })}
              {bill.companion.url ? (
                <>
                  {' '}
                  <a href={bill.companion.url} rel="noopener noreferrer">
                    {t('page.billLink', {
                      bill: `${bill.companion.type}. ${bill.companion.number}`,
                    })}
                  </a>
                </>
              ) : null}
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  )
}

function RecentSigners({ signers }: { signers: RecentSigner[] }) {
  const { t } = useTranslation('petitions')
  return (
    <section aria-labelledby="recent-title" className="recent">
      <h2 id="recent-title">{t('page.recentTitle')}</h2>
      {signers.length === 0 ? (
        <p>{t('page.noSigners')}</p>
      ) : (
        <ul className="recent-list">
          {signers.map((s, i) => (
            <li key={i}>{recentSignerLabel(t, s)}</li>
          ))}
        </ul>
      )}
    </section>
  )
}

/** "Delivered to N offices on DATE" under the count, once a round reached an office. */
function DeliveredLine({ offices, on }: { offices: number; on: string }) {
  const { t, i18n } = useTranslation('petitionDelivery')
  const date = new Intl.DateTimeFormat(i18n.language, {
    dateStyle: 'long',
    timeZone: 'UTC',
  }).format(new Date(on))
  return (
    <p className="delivered-line">
      {t('public.delivered', {
        count: offices,
        countText: new Intl.NumberFormat(i18n.language).format(offices),
        date,
      })}
    </p>
  )
}
