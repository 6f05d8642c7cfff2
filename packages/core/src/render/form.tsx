import { forwardRef, useContext, useRef } from 'react'
import type { FormHTMLAttributes } from 'react'
import { NavigatorContext, RouteStateContext } from './context.js'
import type { Navigator, SubmitRequest } from './context.js'

/** The methods a `<Form>` submits with; a browser without JavaScript sends every one but GET as POST. */
export type FormMethod = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** Props of `<Form>`: a form's props plus how the submission navigates. */
export interface FormProps extends Omit<FormHTMLAttributes<HTMLFormElement>, 'method' | 'action'> {
  /** @default 'get' as an HTML form; use 'post' (or put, patch, delete) to run the page's action. */
  method?: FormMethod
  /** Where the form submits (path and query); the current page's URL when absent, as in HTML. */
  action?: string
  /** Replace the current history entry instead of pushing one. */
  replace?: boolean
  /**
   * Let a second submit through while the first is still pending (the pending one is then aborted). Off by
   * default, so a double-clicked button runs the action once.
   */
  resubmit?: boolean
}

/** What a form sends with, as a submission: the submitter's formmethod/formaction/formenctype win over the form's. */
function submissionOf(
  form: HTMLFormElement,
  submitter: HTMLElement | null,
  method: string,
  action?: string,
): SubmitRequest {
  const attr = (name: string) => submitter?.getAttribute(name) ?? undefined
  const here = location.pathname + location.search
  return {
    form,
    submitter,
    formData: new FormData(form, submitter),
    method: (attr('formmethod') ?? method).toUpperCase(),
    action: attr('formaction') ?? action ?? here,
    encType: attr('formenctype') ?? form.enctype,
  }
}

/** Whether the browser should submit this form itself (another origin, another window). */
function leaveToBrowser(form: HTMLFormElement, s: SubmitRequest): boolean {
  if (form.target && form.target !== '_self') return true
  return new URL(s.action, location.href).origin !== location.origin
}

/**
 * The form behind `<Form>` and a fetcher's `Form`: a real `<form>` (it posts before hydration and without
 * JavaScript); once hydrated, `send` submits it without a document load.
 */
export const FormImpl = /* @__PURE__ */ forwardRef<
  HTMLFormElement,
  FormProps & { send: (nav: Navigator, s: SubmitRequest) => Promise<unknown> }
>(function FormImpl({ method = 'get', action, replace, resubmit, onSubmit, send, ...rest }, ref) {
  const nav = useContext(NavigatorContext)
  // Read so a Form outside a Pareto page fails like the hooks do, naming what to do.
  useContext(RouteStateContext)
  const pending = useRef<AbortController | null>(null)
  const htmlMethod = method.toLowerCase() === 'get' ? 'get' : 'post'
  const handle = (e: Parameters<NonNullable<FormProps['onSubmit']>>[0]) => {
    onSubmit?.(e)
    if (e.defaultPrevented || !nav) return
    const form = e.currentTarget
    const s = submissionOf(form, (e.nativeEvent as SubmitEvent).submitter, method, action)
    if (leaveToBrowser(form, s)) return
    e.preventDefault()
    if (pending.current && !resubmit) return
    pending.current?.abort()
    const controller = new AbortController()
    pending.current = controller
    s.replace = replace
    s.signal = controller.signal
    void send(nav, s).finally(() => {
      if (pending.current === controller) pending.current = null
    })
  }
  return <form ref={ref} method={htmlMethod} action={action} {...rest} onSubmit={handle} />
})

const navigate = (nav: Navigator, s: SubmitRequest) => nav.submit(s)

/**
 * A form that runs the page's action (`method="post"`) or navigates with its fields as the query
 * (`method="get"`). It renders a real `<form>`, so it works before hydration and with JavaScript off; once
 * hydrated it submits without a document load, and the action's result and the page's fresh data come back
 * in one response.
 */
// Marked pure so pages that never use it do not ship it (see Link).
export const Form = /* @__PURE__ */ forwardRef<HTMLFormElement, FormProps>(function Form(props, ref) {
  return <FormImpl {...props} ref={ref} send={navigate} />
})
