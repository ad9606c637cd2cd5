import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireOrganizer } from '#app/http/session.server'
import {
  deliverPetition,
  getPetitionDeliveryPage,
  markPetitionPacketHandDelivered,
  setMilestones,
} from '#app/petition-delivery/petition-delivery.server'
import { PetitionDeliveryIntent } from '#app/petition-delivery/schema'
import { readFormData } from '#app/utils/request.server'

// /admin/campaigns/:id/delivery: deliver a petition to the offices it targets, now or at
// milestones; follow each office's delivery; print packets and mark them delivered (ADR 0901).

const UUID = /^[0-9a-f-]{36}$/i

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireOrganizer(request, { role: 'organizer' })
  const page = UUID.test(params.id ?? '') ? await getPetitionDeliveryPage(params.id!) : undefined
  if (!page) throw new Response('Campaign not found', { status: 404 })
  return page
}

export async function action({ request, params }: ActionFunctionArgs) {
  const organizer = await requireOrganizer(request, { role: 'organizer' })
  const id = params.id ?? ''
  if (!UUID.test(id)) throw new Response('Campaign not found', { status: 404 })
  const parsed = PetitionDeliveryIntent.safeParse(Object.fromEntries(await readFormData(request)))
  if (!parsed.success) {
    const milestones = parsed.error.issues.some((i) => i.path[0] === 'milestones')
    return data({ error: milestones ? 'milestones' : 'invalid', started: null }, { status: 400 })
  }
  const input = parsed.data
  if (input.intent === 'milestones') {
    await setMilestones(id, input.milestones)
    throw redirect(`/admin/campaigns/${id}/delivery?done=milestones`)
  }
  if (input.intent === 'delivered') {
    const done = await markPetitionPacketHandDelivered({
      deliveryId: input.deliveryId,
      organizerId: organizer.id,
      note: input.note || null,
    })
    if (done.kind !== 'delivered' || done.campaignId !== id) {
      return data({ error: 'not_awaiting', started: null }, { status: 409 })
    }
    throw redirect(`/admin/campaigns/${id}/delivery?done=delivered`)
  }
  const outcome = await deliverPetition({
    campaignId: id,
    organizerId: organizer.id,
    reason: 'now',
  })
  switch (outcome.kind) {
    case 'not_found':
      throw new Response('Campaign not found', { status: 404 })
    case 'delivered':
      return { error: null, started: { offices: outcome.offices, signatures: outcome.signatures } }
    default:
      return data({ error: outcome.kind, started: null }, { status: 409 })
  }
}

export default function PetitionDelivery() {
  const { campaign, undelivered, confirmed, milestones, rounds } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const { t, i18n } = useTranslation('petitionDelivery')
  const n = (v: number) => new Intl.NumberFormat(i18n.language).format(v)
  const day = (iso: string | Date) =>
    new Intl.DateTimeFormat(i18n.language, { dateStyle: 'long', timeZone: 'UTC' }).format(
      new Date(iso),
    )
  const done = searchParams.get('done')
  const error = actionData?.error
  return (
    <>
      <h1>{t('admin.title', { slug: campaign.slug })}</h1>
      <p>
        <Link to={`/admin/campaigns/${campaign.id}`}>{campaign.slug}</Link>
      </p>
      <div role="status">
        {actionData?.started ? (
          <p className="banner banner-ok">
            {t('admin.started', {
              count: actionData.started.offices,
              countText: n(actionData.started.offices),
              signatures: n(actionData.started.signatures),
            })}
          </p>
        ) : null}
        {done === 'milestones' ? (
          <p className="banner banner-ok">{t('admin.milestones.saved')}</p>
        ) : null}
        {done === 'delivered' ? (
          <p className="banner banner-ok">{t('admin.markedDelivered')}</p>
        ) : null}
      </div>
      {error && error !== 'milestones' ? (
        <p className="banner banner-error" role="alert">
          {t(`admin.errors.${error}`, { defaultValue: t('admin.errors.nothing_new') })}
        </p>
      ) : null}
      <p>{t('admin.intro')}</p>
      <p>
        {t('admin.confirmed', { countText: n(confirmed) })}.{' '}
        {t('admin.undelivered', { count: undelivered, countText: n(undelivered) })}
      </p>
      {campaign.kind === 'petition' ? (
        <Form method="post">
          <button type="submit" name="intent" value="deliver" className="button">
            {t('admin.deliverNow')}
          </button>
        </Form>
      ) : (
        <p className="banner banner-warn">{t('admin.errors.not_petition')}</p>
      )}

      <section aria-labelledby="milestones-title">
        <h2 id="milestones-title">{t('admin.milestones.title')}</h2>
        {milestones.length === 0 ? (
          <p>{t('admin.milestones.none')}</p>
        ) : (
          <ul>
            {milestones.map((m) => (
              <li key={m.threshold}>
                {n(m.threshold)}:{' '}
                {m.reachedAt
                  ? t('admin.milestones.reached', { date: day(m.reachedAt) })
                  : t('admin.milestones.waiting')}
              </li>
            ))}
          </ul>
        )}
        <Form method="post">
          <input type="hidden" name="intent" value="milestones" />
          <label htmlFor="milestones">{t('admin.milestones.label')}</label>
          <p id="milestones-help" className="help">
            {t('admin.milestones.help')}
          </p>
          {error === 'milestones' ? (
            <p id="milestones-error" className="field-error" role="alert">
              {t('admin.errors.milestones')}
            </p>
          ) : null}
          <input
            id="milestones"
            name="milestones"
            inputMode="numeric"
            defaultValue={milestones
              .filter((m) => !m.reachedAt)
              .map((m) => m.threshold)
              .join(', ')}
            aria-describedby={
              error === 'milestones' ? 'milestones-help milestones-error' : 'milestones-help'
            }
            aria-invalid={error === 'milestones' ? true : undefined}
          />
          <button type="submit" className="button button-secondary">
            {t('admin.milestones.save')}
          </button>
        </Form>
      </section>

      <section aria-labelledby="rounds-title">
        <h2 id="rounds-title">{t('admin.rounds.title')}</h2>
        {rounds.length === 0 ? <p>{t('admin.rounds.none')}</p> : null}
        {rounds.map((r) => (
          <section key={r.id} aria-labelledby={`round-${r.id}`} className="card">
            <h3 id={`round-${r.id}`}>
              {t('admin.rounds.heading', {
                date: day(r.createdAt),
                count: r.signatureCount,
                countText: n(r.signatureCount),
              })}
            </h3>
            <p>
              {r.reason === 'milestone'
                ? t('admin.rounds.reason.milestone', { milestone: n(r.milestone ?? 0) })
                : t('admin.rounds.reason.now')}
              {' · '}
              {t('admin.rounds.update', {
                state: r.updateQueuedAt
                  ? t('admin.rounds.updateSent')
                  : t('admin.rounds.updateWaiting'),
              })}
            </p>
            <div
              className="table-wrap"
              role="region"
              aria-labelledby={`caption-${r.id}`}
              tabIndex={0}
            >
              <table>
                <caption id={`caption-${r.id}`}>{t('admin.rounds.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('admin.rounds.office')}</th>
                    <th scope="col">{t('admin.rounds.constituents')}</th>
                    <th scope="col">{t('admin.rounds.listed')}</th>
                    <th scope="col">{t('admin.rounds.channel')}</th>
                    <th scope="col">{t('admin.rounds.status')}</th>
                    <th scope="col">{t('admin.rounds.packet')}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.offices.map((o) => {
                    const office = `${o.officeTitle} ${o.officeName}`
                    return (
                      <tr key={o.id}>
                        <th scope="row">{office}</th>
                        <td>{o.constituents === null ? '—' : n(o.constituents)}</td>
                        <td>{n(o.listed)}</td>
                        <td>{t(`admin.channel.${o.channel}`)}</td>
                        <td>
                          {t(`admin.status.${o.status}`)}
                          {o.lastError ? (
                            <>
                              <br />
                              <small>{o.lastError}</small>
                            </>
                          ) : null}
                        </td>
                        <td>
                          <a
                            href={`/admin/petition-packets/${o.id}.html`}
                            aria-label={t('admin.packet.printableFor', { office })}
                          >
                            {t('admin.packet.printable')}
                          </a>{' '}
                          ·{' '}
                          <a
                            href={`/admin/petition-packets/${o.id}.csv`}
                            download
                            aria-label={t('admin.packet.csvFor', { office })}
                          >
                            {t('admin.packet.csv')}
                          </a>
                          {o.status === 'awaiting_hand_delivery' ? (
                            <Form method="post" className="inline-form">
                              <input type="hidden" name="intent" value="delivered" />
                              <input type="hidden" name="deliveryId" value={o.id} />
                              <label htmlFor={`note-${o.id}`}>{t('admin.packet.note')}</label>
                              <input id={`note-${o.id}`} name="note" maxLength={500} />
                              <button
                                type="submit"
                                aria-label={`${t('admin.packet.markDelivered')}: ${office}`}
                              >
                                {t('admin.packet.markDelivered')}
                              </button>
                            </Form>
                          ) : null}
                        </td>
                      </tr>
                    )
                  })}
                </tbody>
              </table>
            </div>
          </section>
        ))}
      </section>
    </>
  )
}
