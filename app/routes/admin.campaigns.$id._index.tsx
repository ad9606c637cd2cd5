import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CampaignEditorForm } from '#app/campaigns/campaign-editor-form'
import { CampaignEditorSchema, CampaignStatusSchema } from '#app/campaigns/editor-schema'
import {
  changeCampaignStatus,
  getCampaignEditor,
  getCommitteeOptions,
  updateCampaign,
} from '#app/campaigns/editor.server'
import { PartnerLinkBuilder } from '#app/campaigns/partner-link-builder'
import { buildPartnerLink } from '#app/campaigns/partner-links.server'
import { requireOrganizer } from '#app/http/session.server'
import { readFormData } from '#app/utils/request.server'

const UUID = /^[0-9a-f-]{36}$/i

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireOrganizer(request, { role: 'organizer' })
  const editor = UUID.test(params.id ?? '') ? await getCampaignEditor(params.id!) : undefined
  if (!editor) throw new Response('Campaign not found', { status: 404 })
  // the partners' link builder is a GET form on this page (ADR 0908)
  const partnerLink = await buildPartnerLink(editor.campaign, new URL(request.url).searchParams)
  return { ...editor, committeeOptions: await getCommitteeOptions(), partnerLink }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const organizer = await requireOrganizer(request, { role: 'organizer' })
  const id = params.id ?? ''
  if (!UUID.test(id)) throw new Response('Campaign not found', { status: 404 })
  const formData = await readFormData(request)
  if (formData.get('intent') !== 'save') {
    const status = CampaignStatusSchema.safeParse({ intent: formData.get('intent') })
    if (!status.success) throw new Response('Unknown action', { status: 400 })
    const result = await changeCampaignStatus(organizer, id, status.data.intent)
    if (result === 'not_found') throw new Response('Campaign not found', { status: 404 })
    if (result === 'invalid') {
      return data({ statusError: 'admin:errors.statusChange', result: null }, { status: 409 })
    }
    throw redirect(`/admin/campaigns/${id}?done=${status.data.intent}`)
  }
  const submission = parseWithZod(formData, { schema: CampaignEditorSchema })
  if (submission.status !== 'success') {
    return data({ result: submission.reply(), statusError: null }, { status: 400 })
  }
  const result = await updateCampaign(organizer, id, submission.value)
  if (result.status === 'not_found') throw new Response('Campaign not found', { status: 404 })
  if (result.status === 'slug_taken') {
    return data(
      {
        result: submission.reply({ fieldErrors: { slug: ['admin:errors.slugTaken'] } }),
        statusError: null,
      },
      { status: 409 },
    )
  }
  throw redirect(`/admin/campaigns/${id}?saved=1`)
}

export default function EditCampaign() {
  const { campaign, values, committeeOptions, partnerLink } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const { t } = useTranslation('admin')
  const done = searchParams.get('done')
  const saved = searchParams.get('saved') === '1'
  return (
    <>
      <h1>{t('campaign.editTitle', { slug: campaign.slug })}</h1>
      <div role="status">
        {saved ? <p className="banner banner-ok">{t('campaign.saved')}</p> : null}
        {done ? <p className="banner banner-ok">{t(`campaign.done.${done}`)}</p> : null}
      </div>
      {actionData?.statusError ? (
        <p className="banner banner-error" role="alert">
          {t(actionData.statusError)}
        </p>
      ) : null}
      <section aria-labelledby="status-title" className="status-panel">
        <h2 id="status-title">{t('campaign.statusTitle')}</h2>
        <p>
          {t('campaign.currentStatus')} <strong>{t(`status.${campaign.status}`)}</strong>
        </p>
        {campaign.status === 'live' ? (
          <p className="banner banner-warn">{t('campaign.liveWarning')}</p>
        ) : null}
        <div className="button-row">
          <Link to={`/admin/campaigns/${campaign.id}/preview`} className="button button-secondary">
            {t('campaigns.preview')}
          </Link>
          <Link to={`/admin/campaigns/${campaign.id}/ladder`} className="button button-secondary">
            {t('ladders:editor.title')}
          </Link>
          <Link to={`/admin/campaigns/${campaign.id}/calls`} className="button button-secondary">
            {t('calls:settings.link')}
          </Link>
          {campaign.status === 'live' ? (
            <Link to={`/c/${campaign.slug}`} className="button button-secondary">
              {t('campaign.viewPublic')}
            </Link>
          ) : null}
          {campaign.kind === 'petition' && campaign.status !== 'draft' ? (
            <Link
              to={`/admin/campaigns/${campaign.id}/delivery`}
              className="button button-secondary"
            >
              {t('petitionDelivery:admin.link')}
            </Link>
          ) : null}
          <Form method="post">
            {campaign.status === 'draft' ? (
              <button type="submit" name="intent" value="publish" className="button">
                {t('campaign.publish')}
              </button>
            ) : campaign.status === 'live' ? (
              <button type="submit" name="intent" value="close" className="button">
                {t('campaign.close')}
              </button>
            ) : (
              <button type="submit" name="intent" value="reopen" className="button">
                {t('campaign.reopen')}
              </button>
            )}
          </Form>
        </div>
      </section>
      <PartnerLinkBuilder kind={campaign.kind} status={campaign.status} {...partnerLink} />
      <h2>{t('campaign.editCopy')}</h2>
      <CampaignEditorForm
        lastResult={actionData?.result}
        defaultValue={values}
        submitLabel={t('campaign.save')}
        committeeOptions={committeeOptions}
      />
    </>
  )
}
