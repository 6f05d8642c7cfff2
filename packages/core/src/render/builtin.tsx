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

const CODE_STYLE = { whiteSpace: 'pre', background: '#f6f6f6', padding: '0.75rem', overflowX: 'auto' } as const

/** Shown for an uncaught server error when the app has no error file. */
export function BuiltinError({ error }: { error: ShownError }): ReactNode {
  // Only the dev server finds an error's source; the check lets the production client build drop this part.
  const source = process.env.NODE_ENV === 'production' ? undefined : error.source
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: '2rem' }}>
      <h1>500 — Something went wrong</h1>
      <p>{error.message}</p>
      {source ? (
        <>
          <p>
            <code data-pareto-error-location="">{`${source.file}:${source.line}:${source.column}`}</code>
          </p>
          <pre data-pareto-error-frame="" style={CODE_STYLE}>
            {source.frame}
          </pre>
          <p>Fix it and save: this page loads again by itself.</p>
        </>
      ) : null}
      {error.digest ? (
        <p>
          Error digest: <code>{error.digest}</code>
        </p>
      ) : null}
      {error.stack ? <pre style={{ whiteSpace: 'pre-wrap' }}>{error.stack}</pre> : null}
    </main>
  )
}
