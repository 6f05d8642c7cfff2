import type { ReactNode } from 'react'
import type { ShownError } from './error-boundary.js'

/** Shown for a 404 when the app has no not-found file. */
export function BuiltinNotFound(): ReactNode {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: '2rem' }}>
      <h1>404 — Page not found</h1>
      <p>There is no page at this address. Add app/not-found.tsx to show your own page here.</p>
    </main>
  )
}

/** Shown for an uncaught server error when the app has no error file. */
export function BuiltinError({ error }: { error: ShownError }): ReactNode {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: '2rem' }}>
      <h1>500 — Something went wrong</h1>
      <p>{error.message}</p>
      {error.digest ? (
        <p>
          Error digest: <code>{error.digest}</code>
        </p>
      ) : null}
      {error.stack ? <pre style={{ whiteSpace: 'pre-wrap' }}>{error.stack}</pre> : null}
    </main>
  )
}
