import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { listCampaigns } from '#app/api/api.server'
import { apiRoute, listHandler, methodNotAllowed } from '#app/http/api.server'

export const loader = (args: LoaderFunctionArgs) =>
  apiRoute(args, 'listCampaigns', listHandler(listCampaigns))

export const action = (_: ActionFunctionArgs) => methodNotAllowed('GET')
