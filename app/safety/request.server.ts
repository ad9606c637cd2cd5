/**
 * The request's form body, or a 400 the ErrorBoundary renders: a body that is not a form (JSON,
 * text, broken multipart, bad encoding) is the client's mistake, never a 500.
 */
export async function readFormData(request: Request): Promise<FormData> {
  try {
    return await request.formData()
  } catch {
    throw new Response('This form could not be read. Please reload the page and try again.', {
      status: 400,
    })
  }
}
