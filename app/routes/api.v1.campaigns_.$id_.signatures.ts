import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { createSignature, listSignatures } from '#app/api/api.server'
import { apiRoute, json, listHandler, methodNotAllowed, problem } from '#app/http/api.server'

export const loader = (args: LoaderFunctionArgs) =>
  apiRoute(
    args,
    'listSignatures',
    listHandler((params) => listSignatures(args.params.id ?? '', params)),
  )

export const action = (args: ActionFunctionArgs) => {
  if (args.request.method !== 'POST') return methodNotAllowed('GET, POST')
  return apiRoute(args, 'createSignature', async ({ request }) => {
    let body: unknown
    try {
      body = await request.json()
    } catch {
      return problem(422, 'invalid-request', { detail: 'The body must be a JSON object.' })
    }
    const outcome = await createSignature(args.params.id ?? '', body)
    switch (outcome.kind) {
      case 'created':
        return json(outcome.signature, 201)
      case 'existing':
        return json(outcome.signature, 200)
      case 'invalid':
        return problem(422, 'invalid-request', {
          detail: 'Some fields are not valid; nothing was stored.',
          errors: outcome.errors,
        })
      case 'not-found':
        return problem(404, 'not-found')
      case 'closed':
        return problem(409, 'conflict', { detail: 'This campaign is closed.' })
      case 'letter-campaign':
        return problem(409, 'conflict', {
          detail: 'This is a letter campaign: its signatures come with letters, on its own page.',
        })
    }
  })
}
