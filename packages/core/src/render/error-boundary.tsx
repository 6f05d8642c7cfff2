import { Component, Suspense, createElement, isValidElement } from 'react'
import type { ComponentType, ErrorInfo, ReactElement, ReactNode } from 'react'
import type { ShownError } from '../wire/global.js'

export type { ShownError }

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

/** The class that catches in the browser; `root` marks the framework's own boundaries around the page. */
export class CatchBoundary extends Component<BoundaryProps & { root?: boolean }, { error: unknown; caught: boolean }> {
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

/** The tag that holds a boundary's fallback in server HTML; `BOUNDARY_STYLE` shows it only when its boundary failed. */
const FALLBACK_TAG = 'pareto-fallback'

/**
 * React marks a Suspense boundary whose content threw on the server with `<template data-dgst>` right before
 * its fallback (also when the error comes after the shell). The fallback is hidden otherwise: a boundary that
 * is only waiting shows nothing, as it would without this Suspense.
 */
export const BOUNDARY_STYLE = `template[data-dgst]+${FALLBACK_TAG}{display:contents}`

/** What the server knows of an error when it renders the fallback: React gives the error to onError, not to us. */
const SERVER_ERROR: ShownError = Object.assign(new Error('This part of the page failed to render.'), { name: 'Error' })

function ServerFallback({ fallback }: { fallback: ErrorFallback }): ReactNode {
  return createElement(FALLBACK_TAG, { hidden: true }, renderErrorFallback(fallback, SERVER_ERROR))
}

/**
 * Catches errors thrown below it — rendering errors, and rejected deferred data read by `<Await>` — and shows
 * `fallback`, on the first load as on navigation. On the server its children sit in a Suspense boundary, so a
 * render error there leaves the rest of the page (and the 200) intact: the server HTML shows the fallback,
 * and the browser renders the part again, where the error is caught by the class above.
 */
export function ParetoErrorBoundary({ fallback, onError, children }: BoundaryProps): ReactNode {
  return (
    <CatchBoundary fallback={fallback} onError={onError}>
      <Suspense fallback={<ServerFallback fallback={fallback} />}>{children}</Suspense>
    </CatchBoundary>
  )
}
