import { useNonce } from '#app/utils/nonce-provider'

// The bot defenses every public form carries inside its <form>: the signed "form served at"
// token (checkFormTiming) and, when configured, Cloudflare's Turnstile widget (verifyTurnstile).
// See docs/decisions/0601-bot-defenses.md.

export type FormDefensesProps = {
  /** the signed timestamp from issueFormToken; absent when the minimum fill time is off */
  formToken?: string
  /** Cloudflare Turnstile's site key, when Turnstile is on */
  turnstileSiteKey?: string | null
}

export function FormDefenses({
  formToken,
  turnstileSiteKey,
  locale,
}: FormDefensesProps & { locale: string }) {
  const nonce = useNonce()
  return (
    <>
      {formToken ? <input type="hidden" name="formStarted" value={formToken} /> : null}
      {turnstileSiteKey ? (
        <>
          <div className="cf-turnstile" data-sitekey={turnstileSiteKey} data-language={locale} />
          <script
            nonce={nonce}
            src="https://challenges.cloudflare.com/turnstile/v0/api.js"
            async
            defer
          />
        </>
      ) : null}
    </>
  )
}
