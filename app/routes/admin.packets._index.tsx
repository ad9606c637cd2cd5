import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { createPacket, deliverPacket, getPacketsOverview } from '#app/delivery/packets.server'
import { requireOrganizer } from '#app/http/session.server'
import { readFormData } from '#app/utils/request.server'

// /admin/packets: offices that no electronic channel reaches. The organizer makes a packet per
// office, prints it (or downloads the CSV), delivers it, and marks it delivered.

export async function loader({ request }: LoaderFunctionArgs) {
  await requireOrganizer(request, { role: 'organizer' })
  const { offices, open } = await getPacketsOverview()
  return {
    offices: offices.map((o) => ({ ...o, oldest: o.oldest.toISOString() })),
    open: open.map((p) => ({ ...p, createdAt: p.createdAt.toISOString(), deliveredAt: null })),
  }
}

const Intent = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('create'), officeKey: z.string().min(1).max(300) }),
  z.object({
    intent: z.literal('delivered'),
    packetId: z.string().uuid(),
    note: z.string().trim().max(500).optional(),
  }),
])

export async function action({ request }: ActionFunctionArgs) {
  const organizer = await requireOrganizer(request, { role: 'organizer' })
  const parsed = Intent.safeParse(Object.fromEntries(await readFormData(request)))
  if (!parsed.success) return data({ ok: false, error: 'invalid' }, { status: 400 })
  if (parsed.data.intent === 'create') {
    const packet = await createPacket(parsed.data.officeKey, organizer.id)
    if (!packet) return data({ ok: false, error: 'empty' }, { status: 409 })
    return { ok: true, packetId: packet.id }
  }
  const done = await deliverPacket({
    packetId: parsed.data.packetId,
    organizerId: organizer.id,
    note: parsed.data.note || null,
  })
  if (!done) return data({ ok: false, error: 'notFound' }, { status: 404 })
  return { ok: true }
}

export default function PacketsPage() {
  const { offices, open } = useLoaderData<typeof loader>()
  const { t } = useTranslation('letters')
  return (
    <>
      <h1>{t('packets.title')}</h1>
      <p>{t('packets.intro')}</p>
      {offices.length === 0 ? <p>{t('packets.none')}</p> : null}
      <ul className="card-list">
        {offices.map((o) => (
          <li key={o.officeKey} className="card">
            <h2>
              {o.officeTitle} {o.officeName}
            </h2>
            <p>
              {t('packets.waiting')}: {o.waiting}
            </p>
            <Form method="post">
              <input type="hidden" name="intent" value="create" />
              <input type="hidden" name="officeKey" value={o.officeKey} />
              <button type="submit">{t('packets.make')}</button>
            </Form>
          </li>
        ))}
      </ul>
      <h2>{t('packets.open')}</h2>
      <ul className="card-list">
        {open.map((p) => (
          <li key={p.id} className="card">
            <h3>
              {t('packets.packetTitle', {
                id: p.id.slice(0, 8),
                count: p.letterCount,
                office: `${p.officeTitle} ${p.officeName}`,
              })}
            </h3>
            <p>
              <a href={`/admin/packets/${p.id}.html`}>{t('packets.printable')}</a> ·{' '}
              <a href={`/admin/packets/${p.id}.csv`}>{t('packets.csv')}</a>
            </p>
            <Form method="post">
              <input type="hidden" name="intent" value="delivered" />
              <input type="hidden" name="packetId" value={p.id} />
              <label htmlFor={`note-${p.id}`}>{t('packets.note')}</label>
              <input id={`note-${p.id}`} name="note" maxLength={500} />
              <button type="submit">{t('packets.markDelivered')}</button>
            </Form>
          </li>
        ))}
      </ul>
    </>
  )
}
