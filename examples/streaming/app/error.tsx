import { Link } from '@paretojs/core'

/** Shown with status 500 for a loader or render error that no ParetoErrorBoundary caught. */
export default function ErrorPage({ error }: { error: Error & { digest?: string } }) {
  return (
    <div className="card mx-auto max-w-md text-center" role="alert" data-testid="error-page">
      <h1 className="text-lg font-semibold text-rose-700">Something went wrong</h1>
      <p className="mt-1 text-sm text-slate-600">{error.message}</p>
      {error.digest ? <p className="mt-1 font-mono text-xs text-slate-400">ref {error.digest}</p> : null}
      <Link href="/" className="mt-4 inline-block text-sm font-medium text-brand-600 hover:underline">
        Back to the dashboard
      </Link>
    </div>
  )
}
