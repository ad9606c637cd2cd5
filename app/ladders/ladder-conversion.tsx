import { useTranslation } from 'react-i18next'
import type { StepConversion } from './ladders.server'

/** Each ladder step's conversion: shown (an aggregate counter), taken within 7 days, follow-ups. */
export function LadderConversion({
  conversion,
  headingId = 'conversion-title',
}: {
  conversion: Array<
    Pick<
      StepConversion,
      'id' | 'position' | 'kind' | 'copy' | 'targetSlug' | 'shownCount' | 'taken' | 'followUps'
    >
  >
  headingId?: string
}) {
  const { t } = useTranslation('ladders')
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{t('editor.conversionTitle')}</h2>
      {conversion.length === 0 ? (
        <p>{t('editor.noSteps')}</p>
      ) : (
        <div className="table-scroll">
          <table data-testid="ladder-conversion">
            <caption>{t('editor.conversionCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('editor.kind')}</th>
                <th scope="col">{t('editor.shown')}</th>
                <th scope="col">{t('editor.taken')}</th>
                <th scope="col">{t('editor.followUps')}</th>
              </tr>
            </thead>
            <tbody>
              {conversion.map((s) => (
                <tr key={s.id}>
                  <th scope="row">
                    {s.position + 1}. {s.copy.en?.title || t(`editor.kinds.${s.kind}`)}
                    {s.targetSlug ? ` (${s.targetSlug})` : ''}
                  </th>
                  <td>{s.shownCount}</td>
                  <td>{s.taken}</td>
                  <td>{s.followUps}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
