import { Link } from '@paretojs/core'

/** Shown with status 404 for any URL that no page matches, and for notFound() in a loader. */
export default function NotFound() {
  return (
    <section className="center">
      <p className="code">404</p>
      <h1>Page not found</h1>
      <p>There is no page at this address.</p>
      <Link href="/">Back home</Link>
    </section>
  )
}
