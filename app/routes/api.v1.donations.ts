import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { listDonations } from '#app/api/api.server'
import { apiRoute, listHandler, methodNotAllowed } from '#app/http/api.server'

export const loader = (args: LoaderFunctionArgs) =>
  apiRoute(args, 'listDonations', listHandler(listDonations))

export const action = (_: ActionFunctionArgs) => methodNotAllowed('GET')
