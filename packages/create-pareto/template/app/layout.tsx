import type { PropsWithChildren } from 'react'
import { Link } from '@paretojs/core'

/** Wraps every page: the header stays in place while client-side navigation swaps the page below it. */
export default function RootLayout({ children }: PropsWithChildren) {
  return (
    <>
      <header className="site-header">
        <nav>
          <Link href="/" className="brand">
            Pareto
          </Link>
          <Link href="/">Home</Link>
          <Link href="/stream">Streaming</Link>
          <a href="/api/time">API</a>
        </nav>
      </header>
      <main>{children}</main>
      <footer className="site-footer">
        Edit the files in <code>app/</code> and save: the page updates as you type.
      </footer>
    </>
  )
}
