import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { getCampaignById } from '#app/api/api.server'
import { apiRoute, json, methodNotAllowed, problem } from '#app/http/api.server'

export const loader = (args: LoaderFunctionArgs) =>
  apiRoute(args, 'getCampaign', async () => {
    const campaign = await getCampaignById(args.params.id ?? '')
    return campaign ? json(campaign) : problem(404, 'not-found')
  })

export const action = (_: ActionFunctionArgs) => methodNotAllowed('GET')
