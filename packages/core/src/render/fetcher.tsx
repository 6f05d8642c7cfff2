import { forwardRef, useCallback, useContext, useEffect, useRef, useState } from 'react'
import type { ForwardRefExoticComponent, RefAttributes } from 'react'
import { NavigatorContext } from './context.js'
import type { Navigator, SubmitRequest } from './context.js'
import { FormImpl } from './form.js'
import type { FormMethod, FormProps } from './form.js'
import type { LoaderData } from './hooks.js'

/** What `fetcher.submit()` takes besides the data: where and how to send it. */
export interface FetcherSubmitOptions {
  /** @default 'post' */
  method?: FormMethod
  /** @default the current page's URL */
  action?: string
  /** @default url-encoded, or multipart when the data holds files */
  encType?: 'application/x-www-form-urlencoded' | 'multipart/form-data'
}

/** What `useFetcher()` returns: a form and functions that submit or load without navigating, and their state. */
export interface Fetcher<T> {
  /** A `<Form>` whose submissions belong to this fetcher. */
  Form: ForwardRefExoticComponent<Omit<FormProps, 'replace'> & RefAttributes<HTMLFormElement>>
  /** Runs an action (the current page's by default) without navigating; the page's loaders run again after a success. */
  submit(data: FormData | HTMLFormElement | Record<string, string>, options?: FetcherSubmitOptions): Promise<void>
  /** Loads a page's loader data without navigating. */
  load(href: string): Promise<void>
  /** `'submitting'` while its action runs, `'loading'` while it loads, else `'idle'`. */
  state: 'idle' | 'submitting' | 'loading'
  /** What the last action (or load) returned. */
  data: LoaderData<T> | undefined
  /** The data being submitted, while it is: show it as if it were done (optimistic UI). */
  formData: FormData | undefined
}

interface FetcherState {
  state: Fetcher<unknown>['state']
  data: unknown
  formData: FormData | undefined
  error?: unknown
}

const IDLE: FetcherState = { state: 'idle', data: undefined, formData: undefined }

function toFormData(data: FormData | HTMLFormElement | Record<string, string>): FormData {
  if (data instanceof FormData) return data
  if (typeof HTMLFormElement !== 'undefined' && data instanceof HTMLFormElement) return new FormData(data)
  const out = new FormData()
  for (const [k, v] of Object.entries(data)) out.append(k, v)
  return out
}

/**
 * Submissions and loads that do not navigate: the URL and history stay, several fetchers may run at once, and
 * a newer call of the same fetcher aborts its previous one. `useFetcher<typeof action>()` types `data`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as useLoaderData
export function useFetcher<T = any>(): Fetcher<T> {
  const nav = useContext(NavigatorContext)
  const [current, setCurrent] = useState<FetcherState>(IDLE)
  const controller = useRef<AbortController | null>(null)
  useEffect(() => () => controller.current?.abort(), [])

  const run = useCallback(
    async (request: Parameters<Navigator['fetch']>[0], state: FetcherState['state'], formData?: FormData) => {
      if (!nav) throw new Error('useFetcher() works in a component of a Pareto page, in the browser.')
      controller.current?.abort()
      const own = new AbortController()
      controller.current = own
      request.signal = own.signal
      setCurrent((prev) => ({ state, data: prev.data, formData }))
      try {
        const { data } = await nav.fetch(request)
        if (controller.current === own) setCurrent({ state: 'idle', data, formData: undefined })
      } catch (error) {
        if (own.signal.aborted) return
        // Thrown in render below, so the nearest error boundary shows it.
        setCurrent({ state: 'idle', data: undefined, formData: undefined, error })
      } finally {
        if (controller.current === own) controller.current = null
      }
    },
    [nav],
  )
  // The Form component must keep its identity across renders, or React would remount it each time.
  const runRef = useRef(run)
  runRef.current = run
  const [FetcherForm] = useState(() =>
    forwardRef<HTMLFormElement, Omit<FormProps, 'replace'>>(function FetcherForm(props, ref) {
      return (
        <FormImpl
          {...props}
          ref={ref}
          send={(_nav: Navigator, s: SubmitRequest) =>
            runRef.current(
              s,
              s.method === 'GET' ? 'loading' : 'submitting',
              s.method === 'GET' ? undefined : s.formData,
            )
          }
        />
      )
    }),
  )

  if (current.error !== undefined) throw current.error

  return {
    Form: FetcherForm,
    submit: (data, options = {}) => {
      const formData = toFormData(data)
      const method = (options.method ?? 'post').toUpperCase()
      const action = options.action ?? location.pathname + location.search
      const request: SubmitRequest = { formData, method, action, encType: options.encType }
      if (method === 'GET') return run({ method: 'GET', action: withQuery(action, formData) }, 'loading')
      return run(request, 'submitting', formData)
    },
    load: (href) => run({ method: 'GET', action: href }, 'loading'),
    state: current.state,
    data: current.data as LoaderData<T> | undefined,
    formData: current.formData,
  }
}

function withQuery(action: string, formData: FormData): string {
  const url = new URL(action, location.href)
  const query = new URLSearchParams()
  for (const [k, v] of formData) if (typeof v === 'string') query.append(k, v)
  url.search = query.toString()
  return url.pathname + url.search
}
