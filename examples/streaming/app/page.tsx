import { defer, useLoaderData, Await, ParetoErrorBoundary } from '@paretojs/core'
import { Chart, DataTable, Skeleton } from '../lib/components'
import { fetchFlakyService, fetchFromDatabase, fetchFromExternalAPI } from '../lib/data'

export function loader() {
  const quickData = { total: 42 }
  return defer({
    quickData, // sent immediately
    slowData: fetchFromDatabase(), // streamed later
    slowerData: fetchFromExternalAPI(), // streamed even later
    flakyData: fetchFlakyService(), // rejects: shown by its error boundary
  })
}

export default function Page() {
  const { quickData, slowData, slowerData, flakyData } = useLoaderData<typeof loader>()
  return (
    <div>
      <h1>{quickData.total} items</h1>
      <Await resolve={slowData} fallback={<Skeleton />}>
        {(data) => <DataTable rows={data} />}
      </Await>
      <Await resolve={slowerData} fallback={<Skeleton />}>
        {(data) => <Chart data={data} />}
      </Await>
      <h2>Recommendations</h2>
      <ParetoErrorBoundary fallback={({ error }) => <p className="error" data-testid="flaky-error">Failed to load data. ({error.message})</p>}>
        <Await resolve={flakyData} fallback={<Skeleton />}>
          {(items) => <ul>{items.map((i) => <li key={i}>{i}</li>)}</ul>}
        </Await>
      </ParetoErrorBoundary>
    </div>
  )
}
