import type { Row } from './data'

export function Skeleton() {
  return <div className="skeleton" aria-busy="true">Loading…</div>
}

export function DataTable({ rows }: { rows: Row[] }) {
  return (
    <table data-testid="table">
      <thead>
        <tr><th>Order</th><th>Amount</th><th>Updated</th></tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id}><td>{r.name}</td><td>{r.amount.toFixed(2)}</td><td>{r.updated.toISOString().slice(0, 10)}</td></tr>
        ))}
      </tbody>
    </table>
  )
}

export function Chart({ data }: { data: { label: string; value: number }[] }) {
  const max = Math.max(...data.map((d) => d.value))
  return (
    <svg data-testid="chart" width={data.length * 40} height={120} role="img" aria-label="Weekly chart">
      {data.map((d, i) => (
        <rect key={d.label} x={i * 40 + 5} y={120 - (d.value / max) * 110} width={30} height={(d.value / max) * 110} fill="#4f7cff">
          <title>{`${d.label}: ${d.value}`}</title>
        </rect>
      ))}
    </svg>
  )
}
