import { defer, useLoaderData, Await, Link, ParetoErrorBoundary } from '@paretojs/core'
import type { LoaderContext } from '@paretojs/core'
import { Card, Chart, DataTable, Skeleton, Stat, TopProducts } from '../lib/components'
import { getDailyRevenue, getRecentOrders, getTopProducts, getTotals } from '../lib/server/queries'
import { fetchRecommendations } from '../lib/server/external'

export function loader({ signal }: LoaderContext) {
  const quickData = getTotals() // indexed counts, well under a millisecond: in the first HTML
  return defer({
    quickData, // sent immediately
    slowData: getRecentOrders(8, signal), // streamed later
    slowerData: getDailyRevenue(14, signal), // streamed even later (an aggregate over every order)
    topProducts: getTopProducts(5, signal),
    recommendations: fetchRecommendations(signal), // an external API that is down: rejects
  })
}

export default function Dashboard() {
  const { quickData, slowData, slowerData, topProducts, recommendations } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900" data-testid="dashboard-title">
          {quickData.orders} orders
        </h1>
        <p className="text-sm text-slate-500">
          The counts are in the first HTML; every card below streams in as its query returns.
        </p>
      </div>

      <div className="grid gap-4 sm:grid-cols-3">
        <Stat label="Orders" value={quickData.orders} testId="stat-orders" />
        <Stat label="Customers" value={quickData.customers} />
        <Stat label="Open orders" value={quickData.openOrders} />
      </div>

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <Card
            title="Recent orders"
            testId="recent-orders"
            action={
              <Link
                href="/orders"
                className="text-sm font-medium text-brand-600 hover:underline"
                data-testid="all-orders-link"
              >
                All orders →
              </Link>
            }
          >
            <Await resolve={slowData} fallback={<Skeleton rows={6} label="Loading recent orders" />}>
              {(rows) => <DataTable rows={rows} />}
            </Await>
          </Card>
        </div>

        <Card title="Best sellers" testId="best-sellers">
          <ParetoErrorBoundary fallback={<p className="text-sm text-rose-700">Best sellers could not be loaded.</p>}>
            <Await resolve={topProducts} fallback={<Skeleton rows={5} label="Loading best sellers" />}>
              {(products) => <TopProducts products={products} />}
            </Await>
          </ParetoErrorBoundary>
        </Card>
      </div>

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <Card title="Revenue, last 14 days" testId="revenue">
            <Await resolve={slowerData} fallback={<Skeleton rows={5} label="Loading revenue" />}>
              {(data) => <Chart data={data} />}
            </Await>
          </Card>
        </div>

        <Card title="Recommended for you" testId="recommendations">
          {/* The external API rejects: only this card shows the failure, the rest of the page stays. */}
          <ParetoErrorBoundary
            fallback={({ error }) => (
              <div
                className="rounded-lg bg-rose-50 p-3 text-sm text-rose-800"
                role="alert"
                data-testid="recommendations-error"
              >
                <p className="font-medium">Recommendations are unavailable right now.</p>
                <p className="mt-1 text-xs text-rose-600">
                  {error.message}
                  {error.digest ? ` (ref ${error.digest})` : ''}
                </p>
              </div>
            )}
          >
            <Await resolve={recommendations} fallback={<Skeleton rows={3} label="Loading recommendations" />}>
              {(items) => (
                <ul className="list-disc pl-5 text-sm">
                  {items.map((i) => (
                    <li key={i}>{i}</li>
                  ))}
                </ul>
              )}
            </Await>
          </ParetoErrorBoundary>
        </Card>
      </div>
    </div>
  )
}
