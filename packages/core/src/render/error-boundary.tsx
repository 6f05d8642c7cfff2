import { Component, createElement, isValidElement } from 'react'
import type { ComponentType, ErrorInfo, ReactElement, ReactNode } from 'react'

/** An error as a boundary shows it: in production `digest` matches the server's log line. */
export type ShownError = Error & { digest?: string }

/** A boundary fallback: a component that receives `{ error }`, or a plain element. */
export type ErrorFallback = ComponentType<{ error: ShownError }> | ReactElement

/** Renders a fallback value (component or element) for an error. */
export function renderErrorFallback(fallback: ErrorFallback, error: unknown): ReactNode {
  if (isValidElement(fallback)) return fallback
  return createElement(fallback as ComponentType<{ error: ShownError }>, { error: error as ShownError })
}

interface BoundaryProps {
  fallback: ErrorFallback
  children?: ReactNode
  /** Called with the error once it is caught. */
  onError?: (error: ShownError, info: ErrorInfo) => void
}

/** Catches errors thrown below it, including rejected deferred data read by `<Await>`, and shows `fallback`. */
export class ParetoErrorBoundary extends Component<BoundaryProps, { error: unknown; caught: boolean }> {
  override state = { error: null as unknown, caught: false }

  static getDerivedStateFromError(error: unknown) {
    return { error, caught: true }
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    this.props.onError?.(error, info)
  }

  override render(): ReactNode {
    if (this.state.caught) return renderErrorFallback(this.props.fallback, this.state.error)
    return this.props.children
  }
}
