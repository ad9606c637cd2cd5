import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { listLetters } from '#app/api/api.server'
import { apiRoute, listHandler, methodNotAllowed } from '#app/http/api.server'

export const loader = (args: LoaderFunctionArgs) =>
  apiRoute(
    args,
    'listLetters',
    listHandler((params) => listLetters(args.params.id ?? '', params)),
  )

export const action = (_: ActionFunctionArgs) => methodNotAllowed('GET')
