import { keepRetryAfter } from '#app/safety/headers'
import type {
  ActionFunctionArgs,
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { DonatePage } from '#app/donations/donate-page'
import { loadDonatePage, submitDonation } from '#app/donations/donate-route.server'
import donationStyles from '#app/donations/donations.css'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: donationStyles }]
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.title ?? 'Donate'} · Writ` },
]

export async function loader({ request }: LoaderFunctionArgs) {
  return loadDonatePage(request, null)
}

export const headers = keepRetryAfter

export async function action({ request, context }: ActionFunctionArgs) {
  return submitDonation(request, null, context)
}

export default function Donate() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return <DonatePage key={data.formId} data={data} lastResult={actionData?.result} />
}
