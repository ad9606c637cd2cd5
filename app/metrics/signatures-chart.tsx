import { Bar, BarChart, CartesianGrid, Legend, XAxis, YAxis } from 'recharts'

// Charts are rendered on the server too (fixed size, scaled by CSS through the SVG viewBox). The
// table next to each is the accessible alternative, so the charts are hidden from assistive
// technology.

/** Signatures per hour or day as stacked confirmed/unconfirmed bars. */
export function SignaturesChart({
  id,
  data,
  labels,
  every = 1,
}: {
  /** names the chart's clip paths: the same markup every time, and unique on the page */
  id: string
  data: Array<{ label: string; confirmed: number; unconfirmed: number }>
  labels: { confirmed: string; unconfirmed: string }
  /** label every n-th bar (the server cannot measure text to thin the labels itself) */
  every?: number
}) {
  return (
    <div className="chart" aria-hidden="true">
      <BarChart
        id={id}
        width={720}
        height={260}
        data={data}
        margin={{ top: 8, right: 8, bottom: 8, left: 0 }}
      >
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" tick={{ fill: '#1a1a1a', fontSize: 12 }} interval={every - 1} />
        <YAxis allowDecimals={false} tick={{ fill: '#1a1a1a', fontSize: 12 }} width={56} />
        <Legend />
        <Bar
          id={`${id}-confirmed`}
          dataKey="confirmed"
          name={labels.confirmed}
          stackId="s"
          fill="#1d3b6f"
          isAnimationActive={false}
        />
        <Bar
          id={`${id}-unconfirmed`}
          dataKey="unconfirmed"
          name={labels.unconfirmed}
          stackId="s"
          fill="#5a6f94"
          isAnimationActive={false}
        />
      </BarChart>
    </div>
  )
}

/** One value per labelled bar, drawn horizontally (funnel steps, states, districts). */
export function SimpleBarChart({
  id,
  data,
}: {
  /** names the chart's clip paths: the same markup every time, and unique on the page */
  id: string
  data: Array<{ label: string; value: number }>
}) {
  const height = Math.max(80, data.length * 26 + 24)
  return (
    <div className="chart" aria-hidden="true">
      <BarChart
        id={id}
        width={720}
        height={height}
        data={data}
        layout="vertical"
        margin={{ top: 4, right: 16, bottom: 4, left: 8 }}
      >
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" allowDecimals={false} tick={{ fill: '#1a1a1a', fontSize: 12 }} />
        <YAxis
          type="category"
          dataKey="label"
          width={180}
          tick={{ fill: '#1a1a1a', fontSize: 12 }}
          interval={0}
        />
        <Bar id={`${id}-value`} dataKey="value" fill="#1d3b6f" isAnimationActive={false} />
      </BarChart>
    </div>
  )
}
