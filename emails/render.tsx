import { render } from '@react-email/components'
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
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })])
  // React 18's stream renderer can leave NUL bytes where a multi-byte character meets a chunk
  // boundary (seen in <Preview>'s padding); Postgres refuses NUL in text, and no email needs one.
  return {
    subject: template.subject(props, t),
    html: html.replaceAll('\u0000', ''),
    text: text.replaceAll('\u0000', ''),
  }
}
