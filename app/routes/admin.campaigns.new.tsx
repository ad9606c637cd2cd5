import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CampaignEditorForm } from '#app/campaigns/campaign-editor-form'
import { CampaignEditorSchema } from '#app/campaigns/editor-schema'
import { createCampaign, getCommitteeOptions } from '#app/campaigns/editor.server'
import { requireOrganizer } from '#app/http/session.server'
import { readFormData } from '#app/utils/request.server'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireOrganizer(request, { role: 'organizer' })
  return { committeeOptions: await getCommitteeOptions() }
}

export async function action({ request }: ActionFunctionArgs) {
  const organizer = await requireOrganizer(request, { role: 'organizer' })
  const submission = parseWithZod(await readFormData(request), { schema: CampaignEditorSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const result = await createCampaign(organizer, submission.value)
  if (result.status === 'slug_taken') {
    return data(submission.reply({ fieldErrors: { slug: ['admin:errors.slugTaken'] } }), {
      status: 409,
    })
  }
  if (result.status !== 'ok') throw new Response('Not found', { status: 404 })
  throw redirect(`/admin/campaigns/${result.id}?saved=1`)
}

export default function NewCampaign() {
  const lastResult = useActionData<typeof action>()
  const { committeeOptions } = useLoaderData<typeof loader>()
  const { t } = useTranslation('admin')
  return (
    <>
      <h1>{t('campaigns.new')}</h1>
      <CampaignEditorForm
        lastResult={lastResult}
        submitLabel={t('campaign.create')}
        committeeOptions={committeeOptions}
      />
    </>
  )
}
