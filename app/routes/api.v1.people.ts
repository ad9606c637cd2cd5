import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { listPeople } from '#app/api/api.server'
import { apiRoute, listHandler, methodNotAllowed } from '#app/http/api.server'

export const loader = (args: LoaderFunctionArgs) =>
  apiRoute(args, 'listPeople', listHandler(listPeople))

export const action = (_: ActionFunctionArgs) => methodNotAllowed('GET')
