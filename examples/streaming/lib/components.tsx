import type { ReactNode } from 'react'
import { Link } from '@paretojs/core'
import type { DailyRevenue, OrderRow, OrderStatus, TopProduct } from './types'
import { STATUS_STYLES, formatDate, formatMoney } from './format'

export function Skeleton({ rows = 4, label = 'Loading…' }: { rows?: number; label?: string }) {
  return (
    <div className="skeleton animate-pulse space-y-3 py-2" aria-busy="true" aria-label={label}>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="h-4 rounded bg-slate-200" style={{ width: `${90 - i * 12}%` }} />
      ))}
    </div>
  )
}

export function Card({
  title,
  action,
  children,
  testId,
}: {
  title: string
  action?: ReactNode
  children: ReactNode
  testId?: string
}) {
  return (
    <section className="card" data-testid={testId}>
      <div className="mb-4 flex items-center justify-between gap-4">
        <h2 className="text-sm font-semibold uppercase tracking-wide text-slate-500">{title}</h2>
        {action}
      </div>
      {children}
    </section>
  )
}

export function Stat({ label, value, testId }: { label: string; value: ReactNode; testId?: string }) {
  return (
    <div className="card">
      <p className="text-sm text-slate-500">{label}</p>
      <p className="mt-1 text-3xl font-semibold tracking-tight text-slate-900" data-testid={testId}>
        {value}
      </p>
    </div>
  )
}

export function StatusBadge({ status }: { status: OrderStatus }) {
  return (
    <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_STYLES[status]}`}>
      {status}
    </span>
  )
}

/** The seed's DataTable: orders with a link to each one. */
export function DataTable({ rows, testId = 'orders-table' }: { rows: OrderRow[]; testId?: string }) {
  return (
    <table className="w-full text-left text-sm" data-testid={testId}>
      <thead className="text-xs uppercase text-slate-500">
        <tr>
          <th className="py-2 pr-4 font-medium">Order</th>
          <th className="py-2 pr-4 font-medium">Customer</th>
          <th className="py-2 pr-4 font-medium">Status</th>
          <th className="py-2 pr-4 font-medium">Placed</th>
          <th className="py-2 text-right font-medium">Total</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((r) => (
          <tr key={r.id} className="hover:bg-slate-50">
            <td className="py-2 pr-4">
              <Link href={`/orders/${r.id}`} className="font-medium text-brand-600 hover:underline">
                #{r.id}
              </Link>
            </td>
            <td className="py-2 pr-4">{r.customer}</td>
            <td className="py-2 pr-4">
              <StatusBadge status={r.status} />
            </td>
            {/* instanceof: the wire keeps Dates as Dates. */}
            <td className="py-2 pr-4 text-slate-500">
              {r.createdAt instanceof Date ? formatDate(r.createdAt) : 'not a Date'}
            </td>
            <td className="py-2 text-right tabular-nums">{formatMoney(r.totalCents)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** The seed's Chart: daily revenue as bars (plain SVG, no chart library). */
export function Chart({ data }: { data: DailyRevenue[] }) {
  const max = Math.max(1, ...data.map((d) => d.revenueCents))
  const w = 36
  return (
    <svg
      data-testid="revenue-chart"
      viewBox={`0 0 ${data.length * w} 140`}
      className="h-40 w-full"
      role="img"
      aria-label="Revenue per day"
    >
      {data.map((d, i) => {
        const h = (d.revenueCents / max) * 110
        return (
          <g key={d.day}>
            <rect x={i * w + 6} y={120 - h} width={w - 12} height={h} rx={3} className="fill-brand-500">
              <title>{`${d.day}: ${formatMoney(d.revenueCents)} from ${d.orders} orders`}</title>
            </rect>
            <text x={i * w + w / 2} y={136} textAnchor="middle" className="fill-slate-400 text-[9px]">
              {d.day.slice(8)}
            </text>
          </g>
        )
      })}
    </svg>
  )
}

export function TopProducts({ products }: { products: TopProduct[] }) {
  return (
    <ol className="space-y-2 text-sm" data-testid="top-products">
      {products.map((p, i) => (
        <li key={p.name} className="flex items-baseline justify-between gap-4">
          <span>
            <span className="mr-2 text-slate-400">{i + 1}.</span>
            {p.name} <span className="text-xs text-slate-400">{p.category}</span>
          </span>
          <span className="tabular-nums text-slate-600">{formatMoney(p.revenueCents)}</span>
        </li>
      ))}
    </ol>
  )
}
