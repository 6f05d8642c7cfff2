export default function About() {
  return (
    <section className="card max-w-2xl space-y-3 text-sm leading-6" data-testid="about">
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">About</h1>
      <p>
        This example renders the shell at once and streams the slow sections in as their data resolves. The data comes
        from an embedded SQLite database (better-sqlite3) that the app creates and seeds on its first start.
      </p>
      <p>
        Styles are Tailwind 4, from <code>app/globals.css</code>, which Pareto includes on every page.{' '}
        <code>app.ts</code> is an Express app whose routes (<code>/healthz</code>) and middleware run before
        Pareto&apos;s.
      </p>
      <p>
        The <code>Tasks</code> page writes: sign in, then add and tick off tasks. Its forms run the page&apos;s action
        with JavaScript off as well; with it on, each one is a single request that brings back the result and the
        page&apos;s fresh data, and the page shows the change before the answer arrives.
      </p>
    </section>
  )
}
