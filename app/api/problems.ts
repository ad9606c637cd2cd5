// The API's problem types (RFC 9457): `type` is /api/docs#problem-<type>, where each is explained.

export const PROBLEM_TYPES = {
  unauthorized: 'Missing or invalid API key',
  forbidden: 'The key lacks the scope this route needs',
  'rate-limited': 'Too many requests for this key',
  'invalid-request': 'The request is not valid',
  'not-found': 'Not found',
  'method-not-allowed': 'Method not allowed',
  conflict: 'The resource does not accept this',
} as const
export type ProblemType = keyof typeof PROBLEM_TYPES

export const PROBLEM_STATUSES: Array<{ type: ProblemType; status: number; title: string }> = [
  { type: 'unauthorized', status: 401, title: PROBLEM_TYPES.unauthorized },
  { type: 'forbidden', status: 403, title: PROBLEM_TYPES.forbidden },
  { type: 'not-found', status: 404, title: PROBLEM_TYPES['not-found'] },
  { type: 'method-not-allowed', status: 405, title: PROBLEM_TYPES['method-not-allowed'] },
  { type: 'conflict', status: 409, title: PROBLEM_TYPES.conflict },
  { type: 'invalid-request', status: 422, title: PROBLEM_TYPES['invalid-request'] },
  { type: 'rate-limited', status: 429, title: PROBLEM_TYPES['rate-limited'] },
]
