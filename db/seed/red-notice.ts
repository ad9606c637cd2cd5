// The first campaign's demo copy, written from shared/docs/PRODUCT.md. Every fact cites a source.

export type Fact = { text: string; sourceTitle: string; sourceUrl: string }
export type Copy = {
  headline: string
  summary: string
  story: string
  ask: string
  facts: Fact[]
  thankYou: string
  shareText: string
  letterSubject?: string
  letterBody?: string
  /** the organization's letter to named officials (ADR 0904) */
  officialsSubject?: string
  officialsBody?: string
  /** the thank-you letter to the legislators on the thank-you list */
  thanksSubject?: string
  thanksBody?: string
}

// Exact pages, as listed in shared/docs/PRODUCT.md ("The first campaign's facts", checked 2026-11-29).
export const SOURCES = {
  s2525Text: 'https://www.congress.gov/119/bills/s2525/BILLS-119s2525is.htm',
  hr4829: 'https://www.congress.gov/bill/119th-congress/house-bill/4829',
  version2023: 'https://uhrp.org/bill-summary/transnational-repression-policy-act-of-2023-s-831/',
  iceDirective:
    'https://www.ice.gov/news/releases/ice-updates-guidance-use-interpol-red-notices-during-law-enforcement-actions',
  dojFaq: 'https://www.justice.gov/interpol-washington/frequently-asked-questions',
  hernandezLara:
    'https://law.justia.com/cases/federal/appellate-courts/ca1/19-1524/19-1524-2020-06-15.html',
  freedomHouse: 'https://freedomhouse.org/report/transnational-repression',
  nbcBarahona:
    'https://www.nbcnews.com/news/latino/interpol-mothers-immigration-case-detention-edited-rcna137904',
  washingtonMonthly:
    'https://washingtonmonthly.com/2018/07/30/putin-is-using-ice-to-target-russian-dissidents-in-the-u-s/',
  defenseOne:
    'https://www.defenseone.com/policy/2018/07/how-russia-persecutes-its-dissidents-using-us-courts/150136/',
} as const

const factsEn: Fact[] = [
  {
    text: 'The Transnational Repression Policy Act is S. 2525 in the 119th Congress, introduced on July 29, 2025 by Senator Merkley with Senator Sullivan. It sets a policy, defines transnational repression, calls for an interagency strategy and training (INTERPOL Washington among the trainees), and directs DHS and DOJ efforts. It has no section limiting arrests or detention on a Red Notice.',
    sourceTitle: 'Congress.gov: text of S. 2525 (119th Congress)',
    sourceUrl: SOURCES.s2525Text,
  },
  {
    text: 'H.R. 4829 is the identical House companion, introduced on August 1, 2025 by Representative Chris Smith with Representative McGovern.',
    sourceTitle: 'Congress.gov: H.R. 4829 (119th Congress)',
    sourceUrl: SOURCES.hr4829,
  },
  {
    text: 'The 2023 version of the bill (S. 831 / H.R. 3654, 118th Congress) would have prohibited "the arrest or seizure of assets of any individual based solely on an INTERPOL Red Notice or Diffusion". Today\'s version dropped it. Current law (22 U.S.C. 263b(d)) bars only extradition on a Red Notice alone, not arrest, detention or removal.',
    sourceTitle: 'Uyghur Human Rights Project: summary of S. 831 (2023)',
    sourceUrl: SOURCES.version2023,
  },
  {
    text: 'ICE Directive 15006.1 (September 29, 2023) "generally … prohibits ICE personnel from relying exclusively on a Red Notice or Wanted Person Diffusion to justify law enforcement actions or during immigration proceedings". It is agency policy, not law, and can be changed at any time.',
    sourceTitle: 'ICE: updated guidance on INTERPOL Red Notices (2023)',
    sourceUrl: SOURCES.iceDirective,
  },
  {
    text: 'INTERPOL Washington, part of the Justice Department, says the United States "does not consider a Red Notice alone to be a sufficient basis for the arrest of a subject because it does not meet the requirements for arrest under the 4th Amendment".',
    sourceTitle: 'U.S. Department of Justice: INTERPOL Washington FAQ',
    sourceUrl: SOURCES.dojFaq,
  },
  {
    text: 'The First Circuit quoted that statement in Hernandez Lara v. Barr, 962 F.3d 45, 48 n.3 (2020).',
    sourceTitle: 'Hernandez Lara v. Barr (1st Cir. 2020)',
    sourceUrl: SOURCES.hernandezLara,
  },
  {
    text: 'Freedom House found that at least 12 states abused INTERPOL notices specifically to detain exiles between 2014 and 2020.',
    sourceTitle: 'Freedom House: Out of Sight, Not Out of Reach (2021)',
    sourceUrl: SOURCES.freedomHouse,
  },
  {
    text: 'Jessica Barahona-Martínez, a Salvadoran asylee, spent six years in ICE detention over a Red Notice that was later deleted.',
    sourceTitle: 'NBC News (February 2024)',
    sourceUrl: SOURCES.nbcBarahona,
  },
]

const factsEs: Fact[] = [
  {
    text: 'La Ley de Política sobre la Represión Transnacional es el proyecto S. 2525 del 119.º Congreso, presentado el 29 de julio de 2025 por el senador Merkley junto con el senador Sullivan. Fija una política, define la represión transnacional, pide una estrategia interinstitucional y capacitación (INTERPOL Washington entre quienes la reciben) y orienta la labor del DHS y del DOJ. No tiene ninguna sección que limite arrestos o detenciones por una Notificación Roja.',
    sourceTitle: 'Congress.gov: texto del S. 2525 (119.º Congreso)',
    sourceUrl: SOURCES.s2525Text,
  },
  {
    text: 'H.R. 4829 es el proyecto idéntico de la Cámara de Representantes, presentado el 1 de agosto de 2025 por el representante Chris Smith junto con el representante McGovern.',
    sourceTitle: 'Congress.gov: H.R. 4829 (119.º Congreso)',
    sourceUrl: SOURCES.hr4829,
  },
  {
    text: 'La versión de 2023 (S. 831 / H.R. 3654, 118.º Congreso) habría prohibido "el arresto o la incautación de bienes de cualquier persona basándose únicamente en una Notificación Roja o Difusión de INTERPOL". La versión actual lo eliminó. La ley vigente (22 U.S.C. 263b(d)) prohíbe solo la extradición basada únicamente en una Notificación Roja, no el arresto, la detención ni la deportación.',
    sourceTitle: 'Uyghur Human Rights Project: resumen del S. 831 (2023)',
    sourceUrl: SOURCES.version2023,
  },
  {
    text: 'La Directiva 15006.1 de ICE (29 de septiembre de 2023) prohíbe, "en general", que el personal de ICE se base exclusivamente en una Notificación Roja o Difusión para justificar acciones policiales o en procesos migratorios. Es una política de la agencia, no una ley, y puede cambiar en cualquier momento.',
    sourceTitle: 'ICE: nueva guía sobre las Notificaciones Rojas de INTERPOL (2023)',
    sourceUrl: SOURCES.iceDirective,
  },
  {
    text: 'INTERPOL Washington, parte del Departamento de Justicia, afirma que Estados Unidos "no considera que una Notificación Roja por sí sola sea base suficiente para arrestar a una persona, porque no cumple los requisitos de arresto de la Cuarta Enmienda".',
    sourceTitle: 'Departamento de Justicia de EE. UU.: preguntas frecuentes de INTERPOL Washington',
    sourceUrl: SOURCES.dojFaq,
  },
  {
    text: 'El Primer Circuito citó esa afirmación en Hernandez Lara v. Barr, 962 F.3d 45, 48 n.3 (2020).',
    sourceTitle: 'Hernandez Lara v. Barr (1.er Circuito, 2020)',
    sourceUrl: SOURCES.hernandezLara,
  },
  {
    text: 'Freedom House encontró que al menos 12 Estados abusaron de las notificaciones de INTERPOL específicamente para detener a exiliados entre 2014 y 2020.',
    sourceTitle: 'Freedom House: Out of Sight, Not Out of Reach (2021)',
    sourceUrl: SOURCES.freedomHouse,
  },
  {
    text: 'Jessica Barahona-Martínez, salvadoreña con asilo, pasó seis años detenida por ICE por una Notificación Roja que después fue eliminada.',
    sourceTitle: 'NBC News (febrero de 2024)',
    sourceUrl: SOURCES.nbcBarahona,
  },
]

const storyEn = `Sasha tried to attend a meeting of Yabloko, a pro-democracy party, in Kalmykia. He was jailed and confessed under pressure. He fled to the United States and applied for asylum.

In October 2017, ICE stopped him in Atlanta on a Russian INTERPOL Red Notice and detained him. His asylum claim was refused because of the Russian conviction. The United States has no extradition treaty with Russia.

Immigration attorneys call cases like his "backdoor extraditions": a government that could never win an extradition in a U.S. court gets its critics detained anyway.

Sources: Washington Monthly, July 30, 2018 (${SOURCES.washingtonMonthly}), and The Atlantic's report, republished by Defense One (${SOURCES.defenseOne}).`

const storyEs = `Sasha intentó asistir a una reunión de Yabloko, un partido prodemocracia, en Kalmukia. Fue encarcelado y confesó bajo presión. Huyó a Estados Unidos y pidió asilo.

En octubre de 2017, ICE lo detuvo en Atlanta por una Notificación Roja de INTERPOL emitida por Rusia. Su solicitud de asilo fue rechazada por la condena rusa. Estados Unidos no tiene tratado de extradición con Rusia.

Los abogados de inmigración llaman a estos casos "extradiciones por la puerta trasera": un gobierno que nunca ganaría una extradición ante un tribunal estadounidense logra que detengan a sus críticos de todos modos.

Fuentes (en inglés): Washington Monthly, 30 de julio de 2018 (${SOURCES.washingtonMonthly}), y el reportaje de The Atlantic, republicado por Defense One (${SOURCES.defenseOne}).`

const askEn =
  "Cosponsor the Transnational Repression Policy Act (S. 2525 / H.R. 4829), and amend it to restore the 2023 version's bar on arresting or detaining anyone based solely on an INTERPOL Red Notice or Diffusion, extending current law's extradition ban to ICE arrests, detention and removal."

const askEs =
  'Copatrocinen la Ley de Política sobre la Represión Transnacional (S. 2525 / H.R. 4829) y enmiéndenla para restablecer la prohibición de la versión de 2023 de arrestar o detener a cualquier persona basándose únicamente en una Notificación Roja o Difusión de INTERPOL, extendiendo la prohibición de extradición de la ley vigente a los arrestos, detenciones y deportaciones de ICE.'

export const petitionCopy: Record<'en' | 'es', Copy> = {
  en: {
    headline: 'Stop ICE from jailing asylum seekers on foreign Red Notices alone',
    summary:
      'Authoritarian governments use INTERPOL Red Notices to reach exiles in the U.S. Current law bars only extradition on a Red Notice alone. Ask Congress to cosponsor the Transnational Repression Policy Act and amend it to bar arrest and detention too.',
    story: storyEn,
    ask: askEn,
    facts: factsEn,
    thankYou:
      'Thank you for signing. Now make it count: write to your own legislators, and share this petition.',
    shareText: 'I signed: stop ICE from jailing asylum seekers on foreign Red Notices alone.',
  },
  es: {
    headline:
      'Que ICE deje de encarcelar a solicitantes de asilo solo por Notificaciones Rojas extranjeras',
    summary:
      'Gobiernos autoritarios usan las Notificaciones Rojas de INTERPOL para alcanzar a exiliados en EE. UU. La ley vigente prohíbe solo la extradición basada únicamente en una Notificación Roja. Pide al Congreso que copatrocine la Ley de Política sobre la Represión Transnacional y la enmiende para prohibir también el arresto y la detención.',
    story: storyEs,
    ask: askEs,
    facts: factsEs,
    thankYou:
      'Gracias por firmar. Ahora haz que cuente: escribe a tus legisladores y comparte esta petición.',
    shareText:
      'Firmé: que ICE deje de encarcelar a solicitantes de asilo solo por Notificaciones Rojas extranjeras.',
  },
}

export const letterCopy: Record<'en' | 'es', Copy> = {
  en: {
    ...petitionCopy.en,
    headline: 'Write to Congress: no detention on a Red Notice alone',
    summary:
      'Ask your own Representative and Senators to cosponsor the Transnational Repression Policy Act (S. 2525 / H.R. 4829) and amend it to bar arrest and detention on a Red Notice alone.',
    thankYou: 'Your letters are on their way. Track each office below.',
    shareText: 'I wrote to Congress: no detention on a foreign Red Notice alone.',
    letterSubject:
      'Cosponsor and amend the Transnational Repression Policy Act (S. 2525 / H.R. 4829)',
    letterBody: `Dear {{targetTitle}} {{targetName}},

As your constituent in {{city}}, I urge you to cosponsor the Transnational Repression Policy Act (S. 2525 / H.R. 4829), and to amend it to restore the 2023 version's bar on arresting or detaining anyone based solely on an INTERPOL Red Notice or Diffusion.

Governments such as Russia's use INTERPOL Red Notices to pursue their critics abroad. Current law (22 U.S.C. 263b(d)) bars only extradition based solely on a Red Notice; it does not cover arrest, detention or removal. ICE has detained asylum seekers on the strength of these notices, even though INTERPOL Washington says a Red Notice alone "does not meet the requirements for arrest under the 4th Amendment". ICE's own Directive 15006.1 limits this practice, but a directive can be withdrawn at any time.

The bill as introduced does not address this. The 2023 version did. Please restore that protection, so that the extradition ban in current law extends to ICE arrests, detention and removal.

No one who fled persecution should be jailed here on the word of the government they fled.

Sincerely,
{{firstName}} {{lastName}}
{{city}}, {{state}}`,
    officialsSubject: 'Stop ICE arrests and detentions based solely on INTERPOL Red Notices',
    officialsBody: `{{salutation}},

I write to ask the Department of Homeland Security to stop arresting, detaining or removing anyone based solely on an INTERPOL Red Notice or Diffusion.

Governments such as Russia's use INTERPOL Red Notices to pursue their critics abroad. Current law (22 U.S.C. 263b(d)) bars only extradition based solely on a Red Notice; it does not cover arrest, detention or removal. INTERPOL Washington, part of the Justice Department, says a Red Notice alone "does not meet the requirements for arrest under the 4th Amendment".

ICE Directive 15006.1 (September 29, 2023) generally prohibits ICE personnel from relying exclusively on a Red Notice or Wanted Person Diffusion to justify law enforcement actions or during immigration proceedings. Please keep that directive in force and apply it in every case.

No one who fled persecution should be jailed here on the word of the government they fled.

Sincerely,
{{firstName}} {{lastName}}
{{city}}, {{state}}`,
    thanksSubject: 'Thank you for the Transnational Repression Policy Act (S. 2525 / H.R. 4829)',
    thanksBody: `{{salutation}},

As your constituent in {{city}}, thank you for standing behind the Transnational Repression Policy Act (S. 2525 / H.R. 4829).

Please take it one step further: amend it to restore the 2023 version's bar on arresting or detaining anyone based solely on an INTERPOL Red Notice or Diffusion. Current law (22 U.S.C. 263b(d)) bars only extradition based solely on a Red Notice; it does not cover arrest, detention or removal. The bill as introduced does not address this, and ICE's own Directive 15006.1 can be withdrawn at any time.

No one who fled persecution should be jailed here on the word of the government they fled.

Sincerely,
{{firstName}} {{lastName}}
{{city}}, {{state}}`,
  },
  es: {
    ...petitionCopy.es,
    headline: 'Escribe al Congreso: ninguna detención solo por una Notificación Roja',
    summary:
      'Pide a tu representante y a tus senadores que copatrocinen la Ley de Política sobre la Represión Transnacional (S. 2525 / H.R. 4829) y la enmienden para prohibir el arresto y la detención basados solo en una Notificación Roja.',
    thankYou: 'Tus cartas van en camino. Sigue abajo el estado de cada oficina.',
    shareText: 'Escribí al Congreso: ninguna detención solo por una Notificación Roja extranjera.',
    letterSubject:
      'Copatrocinen y enmienden la Ley de Política sobre la Represión Transnacional (S. 2525 / H.R. 4829)',
    letterBody: `Estimado/a {{targetTitle}} {{targetName}}:

Como su constituyente en {{city}}, le pido que copatrocine la Ley de Política sobre la Represión Transnacional (S. 2525 / H.R. 4829) y que la enmiende para restablecer la prohibición de la versión de 2023 de arrestar o detener a cualquier persona basándose únicamente en una Notificación Roja o Difusión de INTERPOL.

Gobiernos como el de Rusia usan las Notificaciones Rojas de INTERPOL para perseguir a sus críticos en el extranjero. La ley vigente (22 U.S.C. 263b(d)) prohíbe solo la extradición basada únicamente en una Notificación Roja; no cubre el arresto, la detención ni la deportación. ICE ha detenido a solicitantes de asilo por estas notificaciones, aunque INTERPOL Washington afirma que una Notificación Roja por sí sola no cumple los requisitos de arresto de la Cuarta Enmienda. La Directiva 15006.1 de ICE limita esta práctica, pero una directiva puede retirarse en cualquier momento.

El proyecto, tal como se presentó, no aborda esto. La versión de 2023 sí lo hacía. Por favor, restablezcan esa protección, para que la prohibición de extradición de la ley vigente se extienda a los arrestos, detenciones y deportaciones de ICE.

Nadie que huyó de la persecución debería ser encarcelado aquí por la palabra del gobierno del que huyó.

Atentamente,
{{firstName}} {{lastName}}
{{city}}, {{state}}`,
    officialsSubject:
      'Que ICE deje de arrestar y detener a personas basándose únicamente en Notificaciones Rojas de INTERPOL',
    officialsBody: `{{salutation}}:

Le escribo para pedir al Departamento de Seguridad Nacional que deje de arrestar, detener o deportar a cualquier persona basándose únicamente en una Notificación Roja o Difusión de INTERPOL.

Gobiernos como el de Rusia usan las Notificaciones Rojas de INTERPOL para perseguir a sus críticos en el extranjero. La ley vigente (22 U.S.C. 263b(d)) prohíbe solo la extradición basada únicamente en una Notificación Roja; no cubre el arresto, la detención ni la deportación. INTERPOL Washington, parte del Departamento de Justicia, afirma que una Notificación Roja por sí sola no cumple los requisitos de arresto de la Cuarta Enmienda.

La Directiva 15006.1 de ICE (29 de septiembre de 2023) prohíbe, en general, que el personal de ICE se base exclusivamente en una Notificación Roja o Difusión para justificar acciones policiales o en procesos migratorios. Le pido que mantenga esa directiva en vigor y la aplique en todos los casos.

Nadie que huyó de la persecución debería ser encarcelado aquí por la palabra del gobierno del que huyó.

Atentamente,
{{firstName}} {{lastName}}
{{city}}, {{state}}`,
    thanksSubject:
      'Gracias por la Ley de Política sobre la Represión Transnacional (S. 2525 / H.R. 4829)',
    thanksBody: `{{salutation}}:

Como su constituyente en {{city}}, le agradezco su respaldo a la Ley de Política sobre la Represión Transnacional (S. 2525 / H.R. 4829).

Le pido que dé un paso más: enmiéndela para restablecer la prohibición de la versión de 2023 de arrestar o detener a cualquier persona basándose únicamente en una Notificación Roja o Difusión de INTERPOL. La ley vigente (22 U.S.C. 263b(d)) prohíbe solo la extradición basada únicamente en una Notificación Roja; no cubre el arresto, la detención ni la deportación. El proyecto, tal como se presentó, no aborda esto, y la Directiva 15006.1 de ICE puede retirarse en cualquier momento.

Nadie que huyó de la persecución debería ser encarcelado aquí por la palabra del gobierno del que huyó.

Atentamente,
{{firstName}} {{lastName}}
{{city}}, {{state}}`,
  },
}

/**
 * The thank-you list: the sponsors and original cosponsors PRODUCT.md names (S. 2525: Sen. Merkley
 * with Sen. Sullivan; H.R. 4829: Rep. Chris Smith with Rep. McGovern), as bioguide ids from the
 * congress-legislators roster. PRODUCT.md gives no fuller cosponsor list, so none is claimed;
 * organizers paste the current list from congress.gov in the editor.
 */
export const THANKS_BIOGUIDES = ['M001176', 'S001198', 'S000522', 'M000312']

/** The named official's greeting. Demo content: organizers keep it current in the editor. */
export const DHS_SALUTATION = 'Dear Mr. or Madam Secretary'

export const RED_NOTICE_PETITION_SLUG = 'stop-red-notice-detentions'
export const RED_NOTICE_LETTER_SLUG = 'write-congress-red-notices'
