import { Link } from '@paretojs/core'
import type { ShownError } from '@paretojs/core'

/** Shown with status 500 when a loader throws or a page fails to render; in production the digest is in the log. */
export default function ErrorPage({ error }: { error: ShownError }) {
  return (
    <section className="center" role="alert">
      <p className="code">500</p>
      <h1>Something went wrong</h1>
      <p>{error.message}</p>
      {error.digest ? <p className="muted">Reference: {error.digest}</p> : null}
      <Link href="/">Back home</Link>
    </section>
  )
}
