import { preinit, preloadModule } from 'react-dom'
import type { ComponentType, ReactElement, ReactNode } from 'react'
import { NavigatorContext, RouteFileContext, RouteStateContext } from './context.js'
import type { Navigator, RouteState } from './context.js'
import { BOUNDARY_STYLE, CatchBoundary } from './error-boundary.js'
import type { ShownError } from './error-boundary.js'

import type { HtmlAttributes } from '../wire/global.js'
import type { ViewFiles } from '../routes/view-files.js'
export type { HtmlAttributes }

type Layout = ComponentType<{ children?: ReactNode }>

/**
 * What to show in the body: a page in its layouts, the not-found page, or the error page. Where the app has
 * no not-found or error file, the caller passes the built-in one (render/builtin.tsx): the server imports it,
 * the browser loads it only when it is shown, so it is not in every page's JavaScript.
 */
export type View = (
  | { kind: 'page'; layouts: Layout[]; page: ComponentType }
  | { kind: 'not-found'; layouts: Layout[]; page: ComponentType }
  /** `layouts` holds the root layout, or nothing when the error page must stand alone (the layout itself failed). */
  | { kind: 'error'; layouts: Layout[]; page: ComponentType<{ error: ShownError }>; error: ShownError }
) & {
  /** The route files of `layouts` and `page`: each reads its own loader data by its file. */
  files: ViewFiles
}

/** A route file's component, told which file it is so that `useLoaderData()` inside it reads that file's data. */
function inFile(file: string | undefined, element: ReactNode): ReactNode {
  return <RouteFileContext.Provider value={file}>{element}</RouteFileContext.Provider>
}

/** The scripts and styles of a set of route files, hinted to the browser in the head. */
export interface RouteAssets {
  modules: string[]
  css: string[]
  /** Development only: the Vite module id of each stylesheet URL, so Vite's client takes the SSR link over for HMR. */
  devIds?: Record<string, string>
}

/** Everything that decides the document; the server and the client build the same props and so the same tree. */
export interface AppProps {
  state: RouteState
  view: View
  /** The merged head tags (`mergeHead`), computed before rendering. */
  headTags: ReactElement[]
  htmlAttrs: HtmlAttributes
  navigator: Navigator
  assets?: RouteAssets
  /** CSP nonce for the hints React writes (server only). */
  nonce?: string
  /** The app's error.tsx (or the built-in page), shown by the root boundary when an error reaches it in the browser. */
  errorPage: ComponentType<{ error: ShownError }>
  /** Adds invisible text so iOS WKWebView paints the shell before the stream ends. */
  flushHint?: boolean
}

// WebKit holds the first paint until a page has about 200 characters of text; these zero-width spaces
// count as text but show nothing, and screen readers skip them.
const FLUSH_HINT = (
  <div
    aria-hidden="true"
    style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clipPath: 'inset(50%)' }}
  >
    {'\u200b'.repeat(250)}
  </div>
)

function AssetHints({ assets, nonce }: { assets?: RouteAssets; nonce?: string }): ReactNode {
  if (!assets) return null
  // React emits these into <head> on the server and ignores them when the tags are already there.
  for (const href of assets.modules) preloadModule(href, { as: 'script', nonce })
  const { devIds } = assets
  if (!devIds) {
    for (const href of assets.css) preinit(href, { as: 'style', precedence: 'default', nonce })
    return null
  }
  // In dev the links carry Vite's module id: its client then leaves them in place of injected <style>s and hot-swaps them.
  return assets.css.map((href) => (
    <link key={href} rel="stylesheet" href={href} precedence="default" nonce={nonce} data-vite-dev-id={devIds[href]} />
  ))
}

function body(view: View, fallback: ComponentType<{ error: ShownError }>, resetKey: string): ReactNode {
  if (view.kind === 'error') {
    const ErrorPage = view.page
    const [Root] = view.layouts
    const page = inFile(view.files.page, <ErrorPage error={view.error} />)
    if (!Root) return page
    // Inside the root layout, as an error caught in the browser is; if the layout itself fails there, the bare page.
    return (
      <CatchBoundary key={resetKey} root fallback={fallback}>
        {inFile(view.files.layouts[0], <Root>{page}</Root>)}
      </CatchBoundary>
    )
  }
  const Leaf = view.page
  const [Root, ...nested] = view.layouts
  const files = view.files.layouts
  // An error no boundary of the app caught (a rejected <Await> without one, say) shows the error page inside
  // the root layout, so the header and navigation stay; the outer boundary covers the root layout itself.
  // Keyed by URL, so the next navigation starts clean. Not the app's ParetoErrorBoundary: on the server an
  // error no app boundary caught must fail the shell, so the document becomes the 500 error page.
  const inner = (
    <CatchBoundary key={resetKey} root fallback={fallback}>
      {nested.reduceRight<ReactNode>(
        (child, Layout, i) => inFile(files[i + 1], <Layout>{child}</Layout>),
        inFile(view.files.page, <Leaf />),
      )}
    </CatchBoundary>
  )
  if (!Root) return inner
  return (
    <CatchBoundary key={resetKey} root fallback={fallback}>
      {inFile(files[0], <Root>{inner}</Root>)}
    </CatchBoundary>
  )
}

function toReactAttributes(attrs: HtmlAttributes): Record<string, string> {
  const out: Record<string, string> = {}
  for (const key of Object.keys(attrs)) out[key === 'class' ? 'className' : key] = attrs[key]
  return out
}

/** The whole document for one route: `<html>`, the merged head, and the body with layouts and page. */
export function ParetoApp({
  state,
  view,
  headTags,
  htmlAttrs,
  navigator,
  assets,
  nonce,
  errorPage,
  flushHint,
}: AppProps): ReactNode {
  const hasTitle = headTags.some((el) => el.type === 'title')
  return (
    // A head script may set a class on <html> before hydration (dark mode, say): that difference is expected.
    <html {...toReactAttributes(htmlAttrs)} suppressHydrationWarning>
      <head>
        {hasTitle ? null : view.kind === 'page' ? null : (
          <title>{view.kind === 'error' ? 'Error' : 'Page not found'}</title>
        )}
        {headTags}
        <style nonce={nonce}>{BOUNDARY_STYLE}</style>
        <AssetHints assets={assets} nonce={nonce} />
      </head>
      <body>
        {flushHint ? FLUSH_HINT : null}
        <NavigatorContext.Provider value={navigator}>
          <RouteStateContext.Provider value={state}>
            {body(view, errorPage, state.pathname + state.search)}
          </RouteStateContext.Provider>
        </NavigatorContext.Provider>
      </body>
    </html>
  )
}
