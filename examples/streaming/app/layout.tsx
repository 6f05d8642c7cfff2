import type { PropsWithChildren } from 'react'
import { Form, Link, useLoaderData, useRouter } from '@paretojs/core'
import type { LoaderContext } from '@paretojs/core'
import { ui } from '../lib/ui-state'
import { currentUser } from '../lib/server/session'
import { countOpenTasks } from '../lib/server/queries'

// The root layout's own loader: who is signed in (from the session cookie) and the open tasks for the header's
// badge. It runs on a page's first load and again after every action; client navigation keeps its data.
export function loader({ req }: LoaderContext) {
  const user = currentUser(req)
  // Only the signed-in see the team's numbers: this loader checks for itself, as every loader must.
  return { user, openTasks: user ? countOpenTasks() : null }
}

// What the header shows when the layout has no data: the router's own error page after a request that failed.
const SIGNED_OUT = { user: null, openTasks: null }

function DensityToggle() {
  const { compact, toggleCompact } = ui.useStore()
  return (
    <button
      type="button"
      data-testid="density"
      className="rounded-md border border-white/20 px-3 py-1 text-sm text-white/90 hover:bg-white/10"
      onClick={toggleCompact}
      aria-pressed={compact}
    >
      {compact ? 'Comfortable view' : 'Compact view'}
    </button>
  )
}

function Account() {
  const { user } = useLoaderData<typeof loader>() ?? SIGNED_OUT
  const { pathname, search } = useRouter()
  if (!user) {
    return (
      <Link
        href={pathname === '/login' ? '/login' : `/login?next=${encodeURIComponent(pathname + search)}`}
        className="text-sm font-medium text-white/90 hover:text-white"
        data-testid="sign-in-link"
      >
        Sign in
      </Link>
    )
  }
  return (
    // A form, not a link: signing out changes state, so it is a POST (to the login page's action).
    <Form method="post" action="/login" className="flex items-center gap-3 text-sm text-white/90">
      <span data-testid="user">{user.name}</span>
      <input type="hidden" name="intent" value="sign-out" />
      <button type="submit" className="text-white/70 hover:text-white" data-testid="sign-out">
        Sign out
      </button>
    </Form>
  )
}

function NavLink({ href, children }: PropsWithChildren<{ href: string }>) {
  const { pathname } = useRouter()
  const active = href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(href + '/')
  return (
    <Link
      href={href}
      aria-current={active ? 'page' : undefined}
      className={`rounded-md px-3 py-1.5 text-sm font-medium ${active ? 'bg-white/15 text-white' : 'text-white/70 hover:text-white'}`}
    >
      {children}
    </Link>
  )
}

function Main({ children }: PropsWithChildren) {
  const { compact } = ui.useStore()
  return <main className={`mx-auto max-w-6xl px-6 py-8 ${compact ? 'compact' : ''}`}>{children}</main>
}

export default function RootLayout({ children }: PropsWithChildren) {
  const { openTasks } = useLoaderData<typeof loader>() ?? SIGNED_OUT
  return (
    <>
      <header className="bg-brand-700 shadow" data-testid="app-header">
        <nav className="mx-auto flex max-w-6xl items-center gap-2 px-6 py-3">
          <Link href="/" className="mr-4 text-lg font-semibold tracking-tight text-white" data-testid="brand">
            Pareto Shop
          </Link>
          <NavLink href="/">Dashboard</NavLink>
          <NavLink href="/orders">Orders</NavLink>
          <NavLink href="/tasks">
            Tasks
            {openTasks !== null ? (
              <span
                className="ml-1.5 rounded-full bg-white/20 px-1.5 py-0.5 text-xs tabular-nums"
                data-testid="open-tasks"
              >
                {openTasks}
                <span className="sr-only"> open</span>
              </span>
            ) : null}
          </NavLink>
          <NavLink href="/about">About</NavLink>
          <span className="ml-auto flex items-center gap-4">
            <Account />
            <DensityToggle />
          </span>
        </nav>
      </header>
      <Main>{children}</Main>
    </>
  )
}
