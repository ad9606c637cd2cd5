import { toPlainText } from '@react-email/components'
import { renderToStaticMarkup } from 'react-dom/server'
import type { TFunction } from 'i18next'
import type { z } from 'zod'

/**
 * Every template module exports one of these: its props as a Zod schema, the subject, and the
 * React Email component. renderEmail validates the props, so a template never renders half-empty.
 */
export type EmailTemplate<S extends z.ZodType> = {
  name: string
  Props: S
  subject: (props: z.infer<S>, t: TFunction) => string
  Component: (props: z.infer<S> & { t: TFunction; locale: string }) => React.ReactElement
}

export type RenderedEmail = { subject: string; html: string; text: string }

export function defineEmail<S extends z.ZodType>(template: EmailTemplate<S>) {
  return template
}

export async function renderEmail<S extends z.ZodType>(
  template: EmailTemplate<S>,
  input: z.input<S>,
  { t, locale }: { t: TFunction; locale: string },
): Promise<RenderedEmail> {
  const props = template.Props.parse(input) as z.infer<S>
  const Component = template.Component as (p: Record<string, unknown>) => React.ReactElement
  const element = <Component {...(props as Record<string, unknown>)} t={t} locale={locale} />
  const html = renderHtmlDocument(element)
  return { subject: template.subject(props, t), html, text: toPlainText(html) }
}

const DOCTYPE =
  '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'

/**
 * The email's HTML document. Not React Email's render(): on React 18 it streams through
 * renderToReadableStream, which can split a multi-byte character at a chunk boundary and emit NUL
 * bytes (seen with <Preview>'s padding; Postgres then refuses the text). renderToStaticMarkup is
 * synchronous, byte-safe, and faster.
 */
export function renderHtmlDocument(element: React.ReactElement): string {
  return DOCTYPE + renderToStaticMarkup(element)
}
