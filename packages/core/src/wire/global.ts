import type { Params } from '../routes/types.js'

/** Attributes for the `<html>` element, as `getDocumentProps` returns them. */
export type HtmlAttributes = Record<string, string> & { lang?: string; dir?: string; className?: string }

/** The one browser global Pareto defines, holding the boot state and the queue of data frames. */
export const BOOT_GLOBAL = '__PARETO'

/** Where an error comes from in the app's source: development only. */
export interface ErrorSource {
  /** The file, relative to the project root (`app/blog/page.tsx`). */
  file: string
  /** 1-based line and column in the source file, not in the transformed code. */
  line: number
  column: number
  /** A few numbered lines around the position, the line marked with `>` and the column with `^`. */
  frame: string
}

/** An error as it crosses the wire to the browser. */
export interface WireErrorShape {
  name: string
  message: string
  digest?: string
  stack?: string
  /** Development only: where in the source the error was thrown. */
  source?: ErrorSource
}

/**
 * An error as an error page or boundary shows it: in production `digest` matches the server's log line; in
 * development `source` says where in the app's source it was thrown, when the dev server could tell.
 */
export type ShownError = Error & { digest?: string; source?: ErrorSource }

/** Which document the server rendered, so the client can hydrate the same one. */
export interface BootRoute {
  /** Route id, `null` when no route matched. */
  id: string | null
  kind: 'page' | 'not-found' | 'error'
  pathname: string
  search: string
  params: Params
  htmlAttrs: HtmlAttributes
  error?: WireErrorShape
  /** The error page was rendered without the root layout (the layout itself failed). */
  bare?: boolean
  /** The app asked for the WKWebView paint hint (pareto.config `wkWebViewFlushHint`). */
  flushHint?: boolean
  /** Client navigations animate with the View Transitions API (pareto.config `viewTransitions`). */
  viewTransitions?: boolean
}

/**
 * One data frame as an inline script delivers it: text (whole lines), or one JSON line already parsed by
 * the browser as `[head, value]` (the line was `head + JSON.stringify(value)`), or `null` for the end.
 */
export type Frame = string | ParsedLine | null
/** A line of the JSON forms, written into the script as a JS value so it is not escaped twice. */
export type ParsedLine = [head: string, value: unknown]

/** Data frames as the document stream delivers them. */
export interface FrameQueue {
  push(...frames: Frame[]): unknown
}

/** The shape of `self.__PARETO`. */
export interface BootState {
  r: BootRoute
  f: Frame[] & FrameQueue
  /** Clicks made before hydration began, replayed once it is done (null once the client has taken them). */
  c?: MouseEvent[] | null
}

/** Inline script run with the shell: records clicks until the client hydrates, so none is lost to a slow chunk. */
export const CLICK_RECORDER = `${BOOT_GLOBAL}.c=[];addEventListener("click",function(e){var q=${BOOT_GLOBAL}.c;q&&q.push(e)},!0)`

declare global {
  var __PARETO: BootState | undefined
}
