import { Link } from '@paretojs/core'

export default function NotFound() {
  return (
    <div className="card mx-auto max-w-md text-center" data-testid="not-found">
      <p className="text-5xl font-semibold text-brand-600">404</p>
      <h1 className="mt-2 text-lg font-semibold">Page not found</h1>
      <p className="mt-1 text-sm text-slate-500">There is no page or order at this address.</p>
      <Link href="/" className="mt-4 inline-block text-sm font-medium text-brand-600 hover:underline">
        Back to the dashboard
      </Link>
    </div>
  )
}
