import type { PropsWithChildren } from 'react'
import { Link } from '@paretojs/core'
import './style.css'

export default function RootLayout({ children }: PropsWithChildren) {
  return (
    <>
      <header>
        <nav>
          <Link href="/">Dashboard</Link> · <Link href="/about">About</Link>
        </nav>
      </header>
      <main>{children}</main>
    </>
  )
}
