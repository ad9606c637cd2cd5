// The peer's one route: the campaign with its count, and a form that inserts one row.
import {
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { sql } from '../db.server'

const Signature = z.object({
  firstName: z.string().trim().min(1).max(100),
  lastName: z.string().trim().min(1).max(100),
  email: z.string().trim().toLowerCase().email().max(254),
  zip: z.string().regex(/^\d{5}$/),
})

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }]

export async function loader({ params }: LoaderFunctionArgs) {
  const [campaign] = await sql<{ id: string; title: string; count: number }[]>`
    select c.id, cc.headline as title,
      (select count(*)::int from peer_signatures s where s.campaign_id = c.id) as count
    from campaigns c
    join campaign_copy cc on cc.campaign_id = c.id and cc.locale = c.default_locale
    where c.slug = ${params.slug ?? ''}`
  if (!campaign) throw new Response('Not found', { status: 404 })
  return campaign
}

export async function action({ request, params }: ActionFunctionArgs) {
  const parsed = Signature.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) return new Response('Check the form', { status: 400 })
  const [campaign] = await sql<{ id: string }[]>`
    select id from campaigns where slug = ${params.slug ?? ''}`
  if (!campaign) throw new Response('Not found', { status: 404 })
  const s = parsed.data
  await sql`
    insert into peer_signatures (campaign_id, first_name, last_name, email, zip)
    values (${campaign.id}, ${s.firstName}, ${s.lastName}, ${s.email}, ${s.zip})
    on conflict (campaign_id, email) do nothing`
  return redirect(`/c/${params.slug}?signed=1`, 303)
}

export default function Campaign() {
  const campaign = useLoaderData<typeof loader>()
  return (
    <main>
      <h1>{campaign.title}</h1>
      <p>{campaign.count} signatures</p>
      <Form method="post">
        <label>
          First name <input name="firstName" required />
        </label>
        <label>
          Last name <input name="lastName" required />
        </label>
        <label>
          Email <input name="email" type="email" required />
        </label>
        <label>
          ZIP <input name="zip" inputMode="numeric" required />
        </label>
        <button type="submit">Sign</button>
      </Form>
    </main>
  )
}
