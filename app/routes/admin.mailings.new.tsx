import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireOrganizer } from '#app/http/session.server'
import { MailingForm } from '#app/mailings/mailing-form'
import { createMailing, getMailingCampaignOptions } from '#app/mailings/mailings.server'
import { MailingSchema } from '#app/mailings/schema'
import { readFormData } from '#app/utils/request.server'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireOrganizer(request, { pii: true })
  return { campaigns: await getMailingCampaignOptions() }
}

export async function action({ request }: ActionFunctionArgs) {
  const organizer = await requireOrganizer(request, { pii: true })
  const submission = parseWithZod(await readFormData(request), { schema: MailingSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const id = await createMailing(organizer, submission.value)
  throw redirect(`/admin/mailings/${id}`)
}

export default function NewMailing() {
  const lastResult = useActionData<typeof action>()
  const { campaigns } = useLoaderData<typeof loader>()
  const { t } = useTranslation('admin')
  return (
    <>
      <h1>{t('mailings.new')}</h1>
      <p>{t('mailings.intro')}</p>
      <MailingForm lastResult={lastResult} campaigns={campaigns} />
    </>
  )
}
