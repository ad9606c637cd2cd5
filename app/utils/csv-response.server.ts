/** The download's response: never cached, never sniffed as anything but CSV. */
export function csvResponse({
  filename,
  body,
}: {
  filename: string
  body: ReadableStream<Uint8Array>
}): Response {
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
