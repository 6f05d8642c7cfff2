export { defer } from './data/defer.js'
export { redirect, notFound } from './data/signals.js'
export { Await } from './render/await.js'
export type { AwaitProps } from './render/await.js'
export { ParetoErrorBoundary } from './render/error-boundary.js'
export type { ErrorFallback, ShownError } from './render/error-boundary.js'
export type { ErrorSource } from './wire/global.js'
export { useLoaderData, useActionData, useStreamData, useRouter } from './render/hooks.js'
export { Form } from './render/form.js'
export type { FormProps, FormMethod } from './render/form.js'
export { useFetcher } from './render/fetcher.js'
export type { Fetcher, FetcherSubmitOptions } from './render/fetcher.js'
export type { LoaderData } from './render/hooks.js'
export { Link } from './render/link.js'
export type { LinkProps } from './render/link.js'
export type { NavigateOptions, Router, RouterState, Submission } from './render/context.js'
export type { HeadProps, HeadComponent } from './render/head.js'
export type { HtmlAttributes } from './render/app.js'
export type {
  ActionContext,
  CookieOptions,
  LoaderContext,
  LoaderFunction,
  LoaderRequest,
  LoaderResponse,
} from './data/types.js'
export type { DocumentContext, GetDocumentProps } from './render/document-types.js'
export { defineConfig } from './config.js'
export type { ParetoConfig } from './config.js'
export type { RouteConfig } from './static/types.js'
