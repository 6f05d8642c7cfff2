import { Link, useLoaderData } from '@paretojs/core'
import type { LoaderContext } from '@paretojs/core'

/** Runs on the server for every request to /; what it returns is in the first HTML. */
export function loader({ req }: LoaderContext) {
  return {
    greeting: 'Hello from the server',
    renderedAt: new Date().toISOString(),
    name: typeof req.query.name === 'string' ? req.query.name : 'world',
  }
}

export default function Home() {
  const { greeting, renderedAt, name } = useLoaderData<typeof loader>()
  return (
    <section>
      <h1>{greeting}</h1>
      <p className="lead">
        Hi, {name}. This page was rendered at <time dateTime={renderedAt}>{renderedAt}</time> from the data its{' '}
        <code>loader</code> returned. Try <Link href="/?name=Ada">/?name=Ada</Link>.
      </p>
      <ul className="cards">
        <li>
          <Link href="/stream">Streaming →</Link>
          <p>The page is sent at once; slow data follows in the same response.</p>
        </li>
        <li>
          <a href="/api/time">/api/time →</a>
          <p>A JSON endpoint from app/api/time/route.ts.</p>
        </li>
        <li>
          <Link href="/no-such-page">A missing page →</Link>
          <p>Shows app/not-found.tsx with status 404.</p>
        </li>
      </ul>
    </section>
  )
}
