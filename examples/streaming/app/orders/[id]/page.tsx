import { useLoaderData, Await, Link, ParetoErrorBoundary } from '@paretojs/core'
import type { loader } from './loader'
import { Card, Skeleton, StatusBadge } from '../../../lib/components'
import { formatDate, formatDateTime, formatMoney } from '../../../lib/format'

export default function OrderPage() {
  const { order, lines, shipment } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-6">
      <div>
        <Link href="/orders" className="text-sm text-brand-600 hover:underline">
          ← All orders
        </Link>
        <h1
          className="mt-2 flex items-center gap-3 text-2xl font-semibold tracking-tight text-slate-900"
          data-testid="order-title"
        >
          Order #{order.id} <StatusBadge status={order.status} />
        </h1>
        <p className="text-sm text-slate-500">
          {order.customer} · {order.city} · placed {formatDate(order.createdAt)} · {formatMoney(order.totalCents)}
        </p>
      </div>

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <Card title="Items" testId="order-lines">
            <Await resolve={lines} fallback={<Skeleton rows={3} label="Loading items" />}>
              {(items) => (
                <table className="w-full text-left text-sm" data-testid="order-lines-table">
                  <tbody className="divide-y divide-slate-100">
                    {items.map((l, i) => (
                      <tr key={i}>
                        <td className="py-2 pr-4">
                          {l.product} <span className="text-xs text-slate-400">{l.category}</span>
                        </td>
                        <td className="py-2 pr-4 tabular-nums text-slate-500">
                          {l.quantity} × {formatMoney(l.unitPriceCents)}
                        </td>
                        <td className="py-2 text-right tabular-nums">{formatMoney(l.quantity * l.unitPriceCents)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Await>
          </Card>
        </div>

        <Card title="Shipment" testId="shipment">
          <ParetoErrorBoundary fallback={<p className="text-sm text-rose-700">Tracking is unavailable right now.</p>}>
            <Await resolve={shipment} fallback={<Skeleton rows={3} label="Asking the carrier" />}>
              {(s) =>
                s ? (
                  <div className="text-sm" data-testid="tracking">
                    <p className="mb-3 text-slate-500">
                      {s.carrier} · <span className="font-mono">{s.trackingNumber}</span>
                    </p>
                    <ol className="space-y-2 border-l border-slate-200 pl-4">
                      {s.events.map((e) => (
                        <li key={e.at.toISOString()}>
                          <p className="font-medium">{e.what}</p>
                          <p className="text-xs text-slate-500">
                            {e.where} · {formatDateTime(e.at)}
                          </p>
                        </li>
                      ))}
                    </ol>
                  </div>
                ) : (
                  <p className="text-sm text-slate-500" data-testid="tracking">
                    Not shipped yet.
                  </p>
                )
              }
            </Await>
          </ParetoErrorBoundary>
        </Card>
      </div>
    </div>
  )
}
