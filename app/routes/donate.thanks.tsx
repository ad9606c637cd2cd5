import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { ThanksPage } from '#app/donations/donate-page'
import { loadThanksPage } from '#app/donations/donate-route.server'
import donationStyles from '#app/donations/donations.css'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: donationStyles }]
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.title ?? 'Thank you'} · Writ` },
]

export async function loader({ request }: LoaderFunctionArgs) {
  return loadThanksPage(request, null)
}

export default function DonateThanks() {
  return <ThanksPage data={useLoaderData<typeof loader>()} />
}
