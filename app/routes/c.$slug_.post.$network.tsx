import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { recordPostClick } from '#app/calls/calls.server'
import { PostClickSchema } from '#app/calls/schema'
import { getLocale } from '#app/i18n/i18n.server'

// "Post to your legislators": counts the click (network and office, nothing about who), then
// sends the supporter on to the network's share intent with the post prefilled. A plain link: no JS.
const text = (body: string, status: number) =>
  new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const url = new URL(request.url)
  const parsed = PostClickSchema.safeParse({
    network: params.network,
    office: url.searchParams.get('office') ?? '',
  })
  if (!parsed.success) return text('Unknown network or office.', 400)
  const locale = await getLocale(request)
  const result = await recordPostClick({
    slug: params.slug ?? '',
    locale,
    officeKey: parsed.data.office,
    network: parsed.data.network,
  })
  if (result.status === 'not_found') return text('Not found', 404)
  return redirect(result.url, {
    status: 303,
    headers: { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' },
  })
}
