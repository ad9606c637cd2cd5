// Quoted-printable (RFC 2045 §6.7) in one pass over the UTF-8 bytes, for the delivery engine's
// text parts: nodemailer's stream encoder was the largest single cost per letter (ADR 0302).
// Line breaks in the input (LF or CRLF) stay hard CRLF breaks; lines are wrapped with soft breaks
// so that no encoded line exceeds 76 characters; a space or tab before a break is encoded.

const HEX = '0123456789ABCDEF'
const EQ = 0x3d
const CR = 0x0d
const LF = 0x0a
const SP = 0x20
const TAB = 0x09

/** Encodes `text` (UTF-8) as quoted-printable with CRLF line breaks. */
export function encodeQuotedPrintable(text: string): string {
  const input = Buffer.from(text, 'utf8')
  const n = input.length
  // Worst case: every byte as =XX, plus a soft break (3 bytes) every 25 encoded bytes.
  const out = Buffer.allocUnsafe(n * 3 + Math.ceil(n / 25) * 3 + 3)
  let o = 0
  let line = 0
  for (let i = 0; i < n; i++) {
    const b = input[i]!
    if (b === LF || (b === CR && input[i + 1] === LF)) {
      if (b === CR) i++
      out[o++] = CR
      out[o++] = LF
      line = 0
      continue
    }
    const next = input[i + 1]
    const atLineEnd = next === undefined || next === LF || (next === CR && input[i + 2] === LF)
    const literal = (b > SP && b < 0x7f && b !== EQ) || ((b === SP || b === TAB) && !atLineEnd)
    const width = literal ? 1 : 3
    // A soft break keeps the line within 76 characters, the trailing '=' included; the last token
    // of a hard line may use the 76th column.
    if (line + width > (atLineEnd ? 76 : 75)) {
      out[o++] = EQ
      out[o++] = CR
      out[o++] = LF
      line = 0
    }
    if (literal) {
      out[o++] = b
    } else {
      out[o++] = EQ
      out[o++] = HEX.charCodeAt(b >> 4)
      out[o++] = HEX.charCodeAt(b & 15)
    }
    line += width
  }
  return out.toString('latin1', 0, o)
}
