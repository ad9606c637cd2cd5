// The demo copy as the seed wrote it before 2026-11-29 (superseded: its ask named a bill that does
// not do what the ask said, and two facts linked to search pages). Kept only so that the seed can
// recognize an unedited demo and bring it up to date; never shown. See db/seed.ts.

import { letterCopy, type Copy, type Fact } from './red-notice'

const factsEn: Fact[] = [
  {
    text: 'INTERPOL Washington, part of the Justice Department, says a Red Notice alone "does not meet the requirements for arrest under the 4th amendment". The First Circuit quoted this in Hernandez Lara v. Barr (2020).',
    sourceTitle: 'Hernandez Lara v. Barr (1st Cir. 2020)',
    sourceUrl: 'https://www.courtlistener.com/?q=%22Hernandez+Lara+v.+Barr%22',
  },
  {
    text: 'ICE Directive 15006.1 (September 29, 2023) generally prohibits ICE from relying exclusively on an INTERPOL Red Notice or Diffusion. It is agency policy, not law, and can be changed at any time.',
    sourceTitle: 'ICE FOIA Library: Directive 15006.1',
    sourceUrl: 'https://www.ice.gov/foia/library',
  },
  {
    text: 'Freedom House found that at least 12 states abused INTERPOL notices to pursue exiles between 2014 and 2020.',
    sourceTitle: 'Freedom House: Transnational Repression',
    sourceUrl: 'https://freedomhouse.org/report/transnational-repression',
  },
  {
    text: 'The Transnational Repression Policy Act is S. 2525 in the 119th Congress, introduced by Senators Merkley and Sullivan in July 2025. Earlier versions were S. 831 and H.R. 3654 (118th Congress).',
    sourceTitle: 'Congress.gov: S. 2525 (119th Congress)',
    sourceUrl: 'https://www.congress.gov/bill/119th-congress/senate-bill/2525',
  },
  {
    text: 'The TRAP Act (Transnational Repression Accountability and Prevention Act) would bar U.S. agencies from arresting or detaining someone based solely on an INTERPOL notice: H.R. 4330 (116th Congress); S. 1591 and H.R. 4806 (117th).',
    sourceTitle: 'Congress.gov: S. 1591 (117th Congress)',
    sourceUrl: 'https://www.congress.gov/bill/117th-congress/senate-bill/1591',
  },
]

const factsEs: Fact[] = [
  {
    text: 'INTERPOL Washington, parte del Departamento de Justicia, afirma que una Notificación Roja por sí sola "no cumple los requisitos para un arresto según la Cuarta Enmienda". El Primer Circuito lo citó en Hernandez Lara v. Barr (2020).',
    sourceTitle: 'Hernandez Lara v. Barr (1.er Circuito, 2020)',
    sourceUrl: 'https://www.courtlistener.com/?q=%22Hernandez+Lara+v.+Barr%22',
  },
  {
    text: 'La Directiva 15006.1 de ICE (29 de septiembre de 2023) prohíbe, en general, que ICE se base exclusivamente en una Notificación Roja o Difusión de INTERPOL. Es una política de la agencia, no una ley, y puede cambiar en cualquier momento.',
    sourceTitle: 'Biblioteca FOIA de ICE: Directiva 15006.1',
    sourceUrl: 'https://www.ice.gov/foia/library',
  },
  {
    text: 'Freedom House encontró que al menos 12 Estados abusaron de las notificaciones de INTERPOL para perseguir a exiliados entre 2014 y 2020.',
    sourceTitle: 'Freedom House: represión transnacional',
    sourceUrl: 'https://freedomhouse.org/report/transnational-repression',
  },
  {
    text: 'La Ley de Política sobre la Represión Transnacional es el proyecto S. 2525 del 119.º Congreso, presentado por los senadores Merkley y Sullivan en julio de 2025. Versiones anteriores: S. 831 y H.R. 3654 (118.º Congreso).',
    sourceTitle: 'Congress.gov: S. 2525 (119.º Congreso)',
    sourceUrl: 'https://www.congress.gov/bill/119th-congress/senate-bill/2525',
  },
  {
    text: 'La Ley TRAP (Transnational Repression Accountability and Prevention Act) prohibiría a las agencias de EE. UU. arrestar o detener a alguien basándose solo en una notificación de INTERPOL: H.R. 4330 (116.º Congreso); S. 1591 y H.R. 4806 (117.º).',
    sourceTitle: 'Congress.gov: S. 1591 (117.º Congreso)',
    sourceUrl: 'https://www.congress.gov/bill/117th-congress/senate-bill/1591',
  },
]

const storyEn = `Sasha tried to attend a meeting of Yabloko, a pro-democracy party, in Kalmykia. He was jailed and confessed under pressure. He fled to the United States and applied for asylum.

In October 2017, ICE stopped him in Atlanta on a Russian INTERPOL Red Notice and detained him. His asylum claim was refused because of the Russian conviction. The United States has no extradition treaty with Russia.

Immigration attorneys call cases like his "backdoor extraditions": a government that could never win an extradition in a U.S. court gets its critics detained anyway.`

const storyEs = `Sasha intentó asistir a una reunión de Yabloko, un partido prodemocracia, en Kalmukia. Fue encarcelado y confesó bajo presión. Huyó a Estados Unidos y pidió asilo.

En octubre de 2017, ICE lo detuvo en Atlanta por una Notificación Roja de INTERPOL emitida por Rusia. Su solicitud de asilo fue rechazada por la condena rusa. Estados Unidos no tiene tratado de extradición con Rusia.

Los abogados de inmigración llaman a estos casos "extradiciones por la puerta trasera": un gobierno que nunca ganaría una extradición ante un tribunal estadounidense logra que detengan a sus críticos de todos modos.`

export const petitionCopyV1: Record<'en' | 'es', Copy> = {
  en: {
    headline: 'Stop ICE from jailing asylum seekers on foreign Red Notices alone',
    summary:
      "Authoritarian governments use INTERPOL Red Notices to reach exiles in the U.S. Ask Congress to write ICE's Red Notice limits into law.",
    story: storyEn,
    ask: "Pass the Transnational Repression Policy Act and write ICE's Red Notice limits into law.",
    facts: factsEn,
    thankYou:
      'Thank you for signing. Now make it count: write to your own legislators, and share this petition.',
    shareText: 'I signed: stop ICE from jailing asylum seekers on foreign Red Notices alone.',
  },
  es: {
    headline:
      'Que ICE deje de encarcelar a solicitantes de asilo solo por Notificaciones Rojas extranjeras',
    summary:
      'Gobiernos autoritarios usan las Notificaciones Rojas de INTERPOL para alcanzar a exiliados en EE. UU. Pide al Congreso que convierta en ley los límites de ICE.',
    story: storyEs,
    ask: 'Aprueben la Ley de Política sobre la Represión Transnacional y conviertan en ley los límites de ICE a las Notificaciones Rojas.',
    facts: factsEs,
    thankYou:
      'Gracias por firmar. Ahora haz que cuente: escribe a tus legisladores y comparte esta petición.',
    shareText:
      'Firmé: que ICE deje de encarcelar a solicitantes de asilo solo por Notificaciones Rojas extranjeras.',
  },
}

export const letterCopyV1: Record<'en' | 'es', Copy> = {
  en: {
    ...petitionCopyV1.en,
    headline: 'Write to Congress: no detention on a Red Notice alone',
    summary:
      'Send your own Representative and Senators a letter asking them to pass the Transnational Repression Policy Act.',
    thankYou: 'Your letters are on their way. Track each office below.',
    shareText: 'I wrote to Congress: no detention on a foreign Red Notice alone.',
    letterSubject: 'Pass the Transnational Repression Policy Act (S. 2525)',
    letterBody: `Dear {{targetTitle}} {{targetName}},

As your constituent in {{city}}, I urge you to pass the Transnational Repression Policy Act (S. 2525) and to write ICE's Red Notice limits into law.

Governments such as Russia's use INTERPOL Red Notices to pursue their critics abroad. ICE has detained asylum seekers on the strength of these notices alone, even though INTERPOL Washington says a Red Notice "does not meet the requirements for arrest under the 4th amendment". ICE's own Directive 15006.1 limits this practice, but a directive can be withdrawn at any time.

No one who fled persecution should be jailed here on the word of the government they fled. Please make these limits law.

Sincerely,
{{firstName}} {{lastName}}
{{city}}, {{state}}`,
  },
  es: {
    ...petitionCopyV1.es,
    headline: 'Escribe al Congreso: ninguna detención solo por una Notificación Roja',
    summary:
      'Envía a tu representante y a tus senadores una carta pidiéndoles que aprueben la Ley de Política sobre la Represión Transnacional.',
    thankYou: 'Tus cartas van en camino. Sigue abajo el estado de cada oficina.',
    shareText: 'Escribí al Congreso: ninguna detención solo por una Notificación Roja extranjera.',
    letterSubject: 'Aprueben la Ley de Política sobre la Represión Transnacional (S. 2525)',
    letterBody: `Estimado/a {{targetTitle}} {{targetName}}:

Como su constituyente en {{city}}, le pido que apruebe la Ley de Política sobre la Represión Transnacional (S. 2525) y que convierta en ley los límites de ICE a las Notificaciones Rojas.

Gobiernos como el de Rusia usan las Notificaciones Rojas de INTERPOL para perseguir a sus críticos en el extranjero. ICE ha detenido a solicitantes de asilo solo por estas notificaciones, aunque INTERPOL Washington afirma que una Notificación Roja "no cumple los requisitos para un arresto según la Cuarta Enmienda". La Directiva 15006.1 de ICE limita esta práctica, pero una directiva puede retirarse en cualquier momento.

Nadie que huyó de la persecución debería ser encarcelado aquí por la palabra del gobierno del que huyó. Por favor, conviertan estos límites en ley.

Atentamente,
{{firstName}} {{lastName}}
{{city}}, {{state}}`,
  },
}

/**
 * The letter copy as the seed wrote it from 2026-11-29 until the message groups (ADR 0904): the
 * same constituent letter, and no officials' or thank-you copy.
 */
export const letterCopyV2: Record<'en' | 'es', Copy> = Object.fromEntries(
  (['en', 'es'] as const).map((locale) => {
    const {
      officialsSubject: _os,
      officialsBody: _ob,
      thanksSubject: _ts,
      thanksBody: _tb,
      ...copy
    } = letterCopy[locale]
    return [locale, copy]
  }),
) as Record<'en' | 'es', Copy>
