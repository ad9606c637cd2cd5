const UNREADABLE = 'This form could not be read. Please reload the page and try again.'

/**
 * The request's form body, or a 400 the ErrorBoundary renders: a body that is not a form (JSON,
 * text, broken multipart, bad encoding) is the client's mistake, never a 500. So is a NUL
 * character, which no browser sends from a form and Postgres cannot store in text.
 */
export async function readFormData(request: Request): Promise<FormData> {
  let formData: FormData
  try {
    formData = await request.formData()
  } catch {
    throw new Response(UNREADABLE, { status: 400 })
  }
  for (const [name, value] of formData) {
    if (name.includes('\u0000') || (typeof value === 'string' && value.includes('\u0000'))) {
      throw new Response(UNREADABLE, { status: 400 })
    }
  }
  return formData
}
