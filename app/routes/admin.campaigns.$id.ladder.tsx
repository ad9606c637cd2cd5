import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireOrganizer } from '#app/http/session.server'
import { LadderConversion } from '#app/ladders/ladder-conversion'
import { LadderEditor } from '#app/ladders/ladder-editor'
import { getLadderEditor, saveLadder } from '#app/ladders/ladders.server'
import { LadderSchema } from '#app/ladders/schema'
import { roleAtLeast } from '#app/organizers/auth.server'
import { readFormData } from '#app/utils/request.server'

// A campaign's ladder of next asks and how each converts (ADR 1101). Everyone signed in sees the
// conversion; organizers and owners edit.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request)
  const page = await getLadderEditor(params.id!)
  if (!page) throw new Response('Not found', { status: 404 })
  return { ...page, canEdit: roleAtLeast(organizer.role, 'organizer') }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const organizer = await requireOrganizer(request, { role: 'organizer' })
  const submission = parseWithZod(await readFormData(request), { schema: LadderSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const saved = await saveLadder(organizer, params.id!, submission.value)
  if (saved.kind === 'not_found') throw new Response('Not found', { status: 404 })
  if (saved.kind === 'self') {
    return data(submission.reply({ formErrors: ['ladders:editor.errors.self'] }), { status: 400 })
  }
  throw redirect(`/admin/campaigns/${params.id}/ladder?saved=1`)
}

export default function CampaignLadder() {
  const { campaign, steps, followUpHours, targets, conversion, canEdit } =
    useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const [params] = useSearchParams()
  const { t } = useTranslation('ladders')
  return (
    <>
      <h1>
        {t('editor.title')}: {campaign.slug}
      </h1>
      <p>
        <Link to={`/admin/campaigns/${campaign.id}`}>{t('editor.back')}</Link>
      </p>
      <div role="status">
        {params.get('saved') ? <p className="banner banner-ok">{t('editor.saved')}</p> : null}
      </div>
      <LadderConversion conversion={conversion} />
      {canEdit ? (
        <section aria-labelledby="ladder-edit-title">
          <h2 id="ladder-edit-title">{t('editor.title')}</h2>
          <p>{t('editor.intro')}</p>
          <LadderEditor
            steps={steps}
            followUpHours={followUpHours}
            targets={targets}
            lastResult={lastResult}
          />
        </section>
      ) : null}
    </>
  )
}
