import type { ReactElement } from 'react'

/** What a document render asks of React: the boot script and modules, and React's callbacks. */
export interface ReactRenderOptions {
  bootstrapScriptContent: string
  bootstrapModules: string[]
  nonce?: string
  progressiveChunkSize?: number
  onShellReady(): void
  onAllReady(): void
  onShellError(error: unknown): void
  onError(error: unknown): string | undefined
}

/** Where a render's bytes go: write each chunk, flush after each of React's flushes, end once. */
export interface RenderDestination {
  write(chunk: Uint8Array | string): boolean
  flush(): void
  end(): void
}

/** A React render in flight: its bytes go to a destination once the shell may be sent; it can be stopped. */
export interface ReactRender {
  pipe(destination: RenderDestination): unknown
  abort(reason?: unknown): void
}

/**
 * How a platform runs React's streaming renderer: Node's `renderToPipeableStream` (node/render.ts) or the web's
 * `renderToReadableStream` (web/render.ts). The rest of the document path is the same for both.
 */
export type Renderer = (element: ReactElement, options: ReactRenderOptions) => ReactRender
