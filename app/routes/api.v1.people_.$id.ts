import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { getPersonById } from '#app/api/api.server'
import { apiRoute, json, methodNotAllowed, problem } from '#app/http/api.server'

export const loader = (args: LoaderFunctionArgs) =>
  apiRoute(args, 'getPerson', async () => {
    const person = await getPersonById(args.params.id ?? '')
    return person ? json(person) : problem(404, 'not-found')
  })

export const action = (_: ActionFunctionArgs) => methodNotAllowed('GET')
