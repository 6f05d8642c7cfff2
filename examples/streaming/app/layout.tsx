import type { PropsWithChildren } from 'react'
import { Link } from '@paretojs/core'
import { ui } from '../lib/ui-state'
import './style.css'

function DensityToggle() {
  const { compact, toggleCompact } = ui.useStore()
  return (
    <button type="button" className="density" onClick={toggleCompact} aria-pressed={compact}>
      {compact ? 'Comfortable view' : 'Compact view'}
    </button>
  )
}

function Main({ children }: PropsWithChildren) {
  const { compact } = ui.useStore()
  return <main className={compact ? 'compact' : undefined}>{children}</main>
}

export default function RootLayout({ children }: PropsWithChildren) {
  return (
    <>
      <header>
        <nav>
          <Link href="/">Dashboard</Link> · <Link href="/about">About</Link> <DensityToggle />
        </nav>
      </header>
      <Main>{children}</Main>
    </>
  )
}
