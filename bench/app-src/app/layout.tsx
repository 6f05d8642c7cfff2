import type { PropsWithChildren } from 'react'
import { Shell } from './components'

export default function RootLayout({ children }: PropsWithChildren) {
  return <Shell>{children}</Shell>
}
