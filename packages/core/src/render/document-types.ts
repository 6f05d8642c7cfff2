import type { LoaderRequest } from '../data/types.js'
import type { Params } from '../routes/types.js'
import type { HtmlAttributes } from './app.js'

/** What `getDocumentProps` in `document.tsx` receives. */
export interface DocumentContext {
  req: LoaderRequest
  params: Params
  pathname: string
  loaderData: unknown
}

/** The type of `getDocumentProps`: attributes for `<html>`, per request. */
export type GetDocumentProps = (ctx: DocumentContext) => HtmlAttributes | Promise<HtmlAttributes>
