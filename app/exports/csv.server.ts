import { stringify } from 'csv-stringify/sync'

// CSV cells that a spreadsheet would read as a formula (=, +, -, @, tab, CR) get a leading
// apostrophe (OWASP "CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/

export function escapeCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  const text = value instanceof Date ? value.toISOString() : String(value)
  return FORMULA_START.test(text) ? `'${text}` : text
}

export function csvLines(rows: unknown[][]): string {
  return stringify(rows.map((r) => r.map(escapeCell)))
}

/** A CSV file to download; the route streams `body` as the response. */
export type CsvFile = { filename: string; body: ReadableStream<Uint8Array> }

/**
 * A streamed CSV file: the header, then each batch the async iterable yields, stringified as it
 * arrives (postgres.js cursors yield arrays of rows), so memory stays flat however long it is.
 */
export function csvFile<T>(
  filename: string,
  header: string[],
  batches: AsyncIterable<T[]>,
  toCells: (row: T) => unknown[],
): CsvFile {
  const encoder = new TextEncoder()
  const iterator = batches[Symbol.asyncIterator]()
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      // BOM: Excel reads UTF-8 (accents in Spanish names) only with it
      controller.enqueue(encoder.encode(`\uFEFF${csvLines([header])}`))
    },
    async pull(controller) {
      try {
        const { value, done } = await iterator.next()
        if (done) {
          controller.close()
          return
        }
        controller.enqueue(encoder.encode(csvLines(value.map(toCells))))
      } catch (error) {
        console.error(`CSV export ${filename} failed:`, error)
        controller.error(error)
      }
    },
    async cancel() {
      await iterator.return?.()
    },
  })
  return { filename, body }
}
