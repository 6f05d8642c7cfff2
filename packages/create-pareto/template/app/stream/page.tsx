import { Await, Link, ParetoErrorBoundary, defer, useLoaderData } from '@paretojs/core'

interface Report {
  visitors: number
  signups: number
}

/** Stands in for a slow database query or API call. */
function fetchReport(): Promise<Report> {
  return new Promise((resolve) => setTimeout(() => resolve({ visitors: 1284, signups: 37 }), 1000))
}

export function loader() {
  return defer({
    quick: { title: 'Today at a glance' }, // in the first HTML
    slow: fetchReport(), // streamed into the same response when it resolves, about a second later
  })
}

function Skeleton() {
  return <div className="skeleton" role="status" aria-label="Loading the report" />
}

export default function StreamPage() {
  const { quick, slow } = useLoaderData<typeof loader>()
  return (
    <section>
      <h1>{quick.title}</h1>
      <p className="lead">
        This heading arrived with the first bytes. The numbers below take a second on the server and stream into the
        same response; no request is made after the page loads.
      </p>
      <ParetoErrorBoundary
        fallback={({ error }) => <p role="alert">The report could not be loaded: {error.message}</p>}
      >
        <Await resolve={slow} fallback={<Skeleton />}>
          {(report) => (
            <dl className="stats">
              <div>
                <dt>Visitors</dt>
                <dd>{report.visitors}</dd>
              </div>
              <div>
                <dt>Sign-ups</dt>
                <dd>{report.signups}</dd>
              </div>
            </dl>
          )}
        </Await>
      </ParetoErrorBoundary>
      <p>
        <Link href="/">← Home</Link>
      </p>
    </section>
  )
}
