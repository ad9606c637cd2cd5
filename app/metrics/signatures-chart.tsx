import { Bar, BarChart, CartesianGrid, Legend, XAxis, YAxis } from 'recharts'

/**
 * Signatures per day as stacked bars. Rendered on the server too (fixed size, scaled by CSS
 * through the SVG viewBox); the table next to it is the accessible alternative, so the chart is
 * hidden from assistive technology.
 */
export function SignaturesChart({
  data,
  labels,
}: {
  data: Array<{ day: string; confirmed: number; unconfirmed: number }>
  labels: { confirmed: string; unconfirmed: string }
}) {
  return (
    <div className="chart" aria-hidden="true">
      <BarChart
        width={720}
        height={260}
        data={data.map((d) => ({ ...d, label: d.day.slice(5) }))}
        margin={{ top: 8, right: 8, bottom: 8, left: 0 }}
      >
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" tick={{ fill: '#1a1a1a', fontSize: 12 }} />
        <YAxis allowDecimals={false} tick={{ fill: '#1a1a1a', fontSize: 12 }} width={48} />
        <Legend />
        <Bar
          dataKey="confirmed"
          name={labels.confirmed}
          stackId="s"
          fill="#1d3b6f"
          isAnimationActive={false}
        />
        <Bar
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
