import { useTranslation } from 'react-i18next'

// The honeypot: a field people never see and bots fill in. Every public form renders this one,
// and its action asks honeypotFilled (bot-defense.server.ts) before anything else; a filled
// honeypot gets the answer a person would get, and nothing is stored.
// See docs/decisions/0601-bot-defenses.md.

export const HONEYPOT_FIELD = 'website'

export function Honeypot({ id }: { id: string }) {
  const { t } = useTranslation('safety')
  // Hidden from people (and from assistive technology).
  return (
    <div className="honeypot" aria-hidden="true">
      <label htmlFor={id}>{t('honeypot')}</label>
      <input id={id} name={HONEYPOT_FIELD} type="text" tabIndex={-1} autoComplete="off" />
    </div>
  )
}
