import type { Db } from '../client'
import { petitionCopy } from './red-notice'

// The demo call campaign (issue 17), written from shared/docs/PRODUCT.md's corrected facts: the
// bill as introduced does not limit detention; current law (22 U.S.C. 263b(d)) bars only
// extradition based solely on a Red Notice. Scripts per target group and language.

export const RED_NOTICE_CALL_SLUG = 'call-congress-red-notices'

const senateEn = `Hello, my name is {{firstName}} and I'm a constituent from {{city}}. I'm calling to ask {{targetTitle}} {{targetName}} to cosponsor the Transnational Repression Policy Act, S. 2525, and to amend it so that no one can be arrested or detained based solely on an INTERPOL Red Notice.

Current law, 22 U.S.C. 263b(d), bars only extradition based solely on a Red Notice. It does not cover arrest, detention or removal, and the bill as introduced does not either. The 2023 version did. Please restore that protection. Thank you.`

const houseEn = `Hello, my name is {{firstName}} and I'm a constituent from {{city}}. I'm calling to ask {{targetTitle}} {{targetName}} to cosponsor H.R. 4829, the Transnational Repression Policy Act, and to amend it so that no one can be arrested or detained based solely on an INTERPOL Red Notice.

Current law, 22 U.S.C. 263b(d), bars only extradition based solely on a Red Notice. It does not cover arrest, detention or removal, and the bill as introduced does not either. The 2023 version did. Please restore that protection. Thank you.`

const senateEs = `Hola, me llamo {{firstName}} y soy constituyente de {{city}}. Llamo para pedir al {{targetTitle}} {{targetName}} que copatrocine la Ley de Política sobre la Represión Transnacional, S. 2525, y que la enmiende para que nadie pueda ser arrestado ni detenido basándose únicamente en una Notificación Roja de INTERPOL.

La ley vigente, 22 U.S.C. 263b(d), prohíbe solo la extradición basada únicamente en una Notificación Roja. No cubre el arresto, la detención ni la deportación, y el proyecto tal como se presentó tampoco. La versión de 2023 sí lo hacía. Por favor, restablezcan esa protección. Gracias.`

const houseEs = `Hola, me llamo {{firstName}} y soy constituyente de {{city}}. Llamo para pedir al {{targetTitle}} {{targetName}} que copatrocine H.R. 4829, la Ley de Política sobre la Represión Transnacional, y que la enmiende para que nadie pueda ser arrestado ni detenido basándose únicamente en una Notificación Roja de INTERPOL.

La ley vigente, 22 U.S.C. 263b(d), prohíbe solo la extradición basada únicamente en una Notificación Roja. No cubre el arresto, la detención ni la deportación, y el proyecto tal como se presentó tampoco. La versión de 2023 sí lo hacía. Por favor, restablezcan esa protección. Gracias.`

export const callCopy = {
  en: {
    ...petitionCopy.en,
    headline: 'Call your Senators and Representative: no detention on a Red Notice alone',
    summary:
      'Three short calls. Ask your own Representative and Senators to cosponsor the Transnational Repression Policy Act (S. 2525 / H.R. 4829) and amend it to bar arrest and detention on a Red Notice alone. Current law bars only extradition on one.',
    thankYou: 'Thank you for calling. Offices count every call.',
    shareText: 'I called Congress: no detention on a foreign Red Notice alone.',
    callScripts: { default: senateEn, senate: senateEn, house: houseEn },
    postText:
      '{{handle}} Please cosponsor S. 2525 / H.R. 4829 and amend it: no arrest or detention on an INTERPOL Red Notice alone. Current law (22 U.S.C. 263b(d)) bars only extradition.',
  },
  es: {
    ...petitionCopy.es,
    headline:
      'Llama a tus senadores y a tu representante: ninguna detención solo por una Notificación Roja',
    summary:
      'Tres llamadas cortas. Pide a tu representante y a tus senadores que copatrocinen la Ley de Política sobre la Represión Transnacional (S. 2525 / H.R. 4829) y la enmienden para prohibir el arresto y la detención basados solo en una Notificación Roja. La ley vigente prohíbe solo la extradición.',
    thankYou: 'Gracias por llamar. Las oficinas cuentan cada llamada.',
    shareText: 'Llamé al Congreso: ninguna detención solo por una Notificación Roja extranjera.',
    callScripts: { default: senateEs, senate: senateEs, house: houseEs },
    postText:
      '{{handle}} Copatrocine S. 2525 / H.R. 4829 y enmiéndela: ningún arresto ni detención solo por una Notificación Roja de INTERPOL. La ley vigente (22 U.S.C. 263b(d)) prohíbe solo la extradición.',
  },
}

/** Seeds the demo call campaign once (by slug); an existing one is left as it is. */
export async function seedCallCampaign(sql: Db, bill: Record<string, unknown>): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [created] = await tx<{ id: string }[]>`
      insert into campaigns ${tx({
        slug: RED_NOTICE_CALL_SLUG,
        kind: 'call',
        status: 'live',
        goal: 1_000,
        targetConfig: tx.json({ house: true, senate: true }),
        // the Representative, then the two Senators; "Call me" where Twilio is configured
        callConfig: tx.json({ order: ['house', 'senate'], patchThrough: true }),
        bill: tx.json(bill as never),
        // published just before the others, so that the home page lists it after them
        publishedAt: new Date(Date.now() - 60_000),
      })}
      on conflict (slug) do nothing
      returning id`
    if (!created) return false
    for (const locale of ['en', 'es'] as const) {
      const c = callCopy[locale]
      await tx`
        insert into campaign_copy ${tx({
          campaignId: created.id,
          locale,
          headline: c.headline,
          summary: c.summary,
          story: c.story,
          ask: c.ask,
          facts: tx.json(c.facts),
          thankYou: c.thankYou,
          shareText: c.shareText,
          callScripts: tx.json(c.callScripts),
          postText: c.postText,
        })}`
    }
    return true
  })
}
