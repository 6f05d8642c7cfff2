import { defer, useLoaderData, Await, Link } from '@paretojs/core'
import type { LoaderContext } from '@paretojs/core'
import { Card, DataTable, Skeleton } from '../../lib/components'
import { countOrders, listOrders } from '../../lib/server/queries'
import { ORDER_STATUSES } from '../../lib/types'
import type { OrderStatus } from '../../lib/types'

const PER_PAGE = 20

export function loader({ req, signal }: LoaderContext) {
  // ctx.req.query is Express-style: ?status=shipped&page=2
  const status = ORDER_STATUSES.find((s) => s === req.query.status)
  const page = Math.max(1, Number(req.query.page) || 1)
  const total = countOrders(status) // fast: in the first HTML
  return defer({
    status: status ?? null,
    page,
    pages: Math.max(1, Math.ceil(total / PER_PAGE)),
    total,
    orders: listOrders({ status, page, perPage: PER_PAGE }, signal), // streamed
  })
}

function href(status: OrderStatus | null, page = 1): string {
  const q = new URLSearchParams()
  if (status) q.set('status', status)
  if (page > 1) q.set('page', String(page))
  const s = q.toString()
  return s ? `/orders?${s}` : '/orders'
}

export default function Orders() {
  const { status, page, pages, total, orders } = useLoaderData<typeof loader>()
  const filters: (OrderStatus | null)[] = [null, ...ORDER_STATUSES]
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900" data-testid="orders-title">
            Orders
          </h1>
          <p className="text-sm text-slate-500" data-testid="orders-count">
            {total} {status ?? 'total'} · page {page} of {pages}
          </p>
        </div>
        <div className="flex flex-wrap gap-1" role="group" aria-label="Filter by status">
          {filters.map((s) => (
            <Link
              key={s ?? 'all'}
              href={href(s)}
              aria-current={s === status ? 'true' : undefined}
              className={`rounded-full px-3 py-1 text-sm ${s === status ? 'bg-brand-600 text-white' : 'bg-white text-slate-600 ring-1 ring-slate-200 hover:bg-slate-100'}`}
            >
              {s ?? 'all'}
            </Link>
          ))}
        </div>
      </div>

      <Card title={status ? `${status} orders` : 'All orders'}>
        <Await resolve={orders} fallback={<Skeleton rows={10} label="Loading orders" />}>
          {(rows) => <DataTable rows={rows} testId="order-list" />}
        </Await>
      </Card>

      <nav className="flex justify-between text-sm" aria-label="Pages">
        {page > 1 ? (
          <Link href={href(status, page - 1)} className="text-brand-600 hover:underline">
            ← Newer
          </Link>
        ) : (
          <span />
        )}
        {page < pages ? (
          <Link href={href(status, page + 1)} className="text-brand-600 hover:underline" data-testid="next-page">
            Older →
          </Link>
        ) : null}
      </nav>
    </div>
  )
}
