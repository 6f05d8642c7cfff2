import type { PropsWithChildren } from 'react'
import { Link, useRouter } from '@paretojs/core'
import { ui } from '../lib/ui-state'

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
  return (
    <>
      <header className="bg-brand-700 shadow" data-testid="app-header">
        <nav className="mx-auto flex max-w-6xl items-center gap-2 px-6 py-3">
          <Link href="/" className="mr-4 text-lg font-semibold tracking-tight text-white" data-testid="brand">
            Pareto Shop
          </Link>
          <NavLink href="/">Dashboard</NavLink>
          <NavLink href="/orders">Orders</NavLink>
          <NavLink href="/about">About</NavLink>
          <span className="ml-auto">
            <DensityToggle />
          </span>
        </nav>
      </header>
      <Main>{children}</Main>
    </>
  )
}
