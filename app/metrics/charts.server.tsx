import type { TFunction } from 'i18next'
import type { ReactElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { districtLabel, FUNNEL_STEPS, placeLabel } from './labels'
import type { MetricsData } from './metrics.server'
import { SignaturesChart, SimpleBarChart } from './signatures-chart'

// The charts are drawn once, here on the server, as static SVG; the page inserts that markup and
// never runs recharts in the browser. Rendering recharts on both sides could not match: it numbers
// its clip paths from a counter that grows with every server render, and it measures text with the
// DOM, which the server has not got. So the dashboard hydrated with errors and React re-rendered
// it (a click in that moment was lost). Inline style attributes are dropped: the CSP forbids them,
// and app/styles/admin.css lays the charts and their legends out instead.

export type Charts = {
  funnel: string
  hourly: string
  daily: string
  states: string
  districts: string
}

function svg(element: ReactElement): string {
  return renderToStaticMarkup(element).replace(/ style="[^"]*"/g, '')
}

export function renderCharts(metrics: MetricsData, t: TFunction): Charts {
  const labels = {
    confirmed: t('admin:dashboard.confirmed'),
    unconfirmed: t('admin:dashboard.unconfirmed'),
  }
  return {
    funnel: svg(
      <SimpleBarChart
        id="chart-funnel"
        data={FUNNEL_STEPS.map((key) => ({
          label: t(`admin:metrics.step.${key}`),
          value: metrics.funnel[key],
        }))}
      />,
    ),
    hourly: svg(
      <SignaturesChart
        id="chart-hourly"
        data={metrics.hourly.map((h) => ({ ...h, label: h.at.slice(11, 16) }))}
        labels={labels}
        every={6}
      />,
    ),
    daily: svg(
      <SignaturesChart
        id="chart-daily"
        data={metrics.daily.map((x) => ({ ...x, label: x.at.slice(5) }))}
        labels={labels}
        every={3}
      />,
    ),
    states: svg(
      <SimpleBarChart
        id="chart-states"
        data={metrics.states
          .slice(0, 15)
          .map((s) => ({ label: placeLabel(t, s.state, ''), value: s.signatures }))}
      />,
    ),
    districts: svg(
      <SimpleBarChart
        id="chart-districts"
        data={metrics.districts.slice(0, 15).map((s) => ({
          label: districtLabel(t, s.state, s.district),
          value: s.signatures,
        }))}
      />,
    ),
  }
}
