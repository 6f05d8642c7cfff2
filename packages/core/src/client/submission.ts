import type { RouteData, Submission, SubmitRequest } from '../render/context.js'
import { layoutParamNames } from '../routes/segments.js'
import type { Params } from '../routes/types.js'
import type { Entry } from './router.js'

/** The body a submission sends: url-encoded like the browser's own post, or multipart when the form asks or holds files. */
export function submissionBody(s: SubmitRequest): FormData | URLSearchParams {
  if (s.encType === 'multipart/form-data') return s.formData
  const params = new URLSearchParams()
  for (const [name, value] of s.formData) {
    if (typeof value !== 'string') return s.formData
    params.append(name, value)
  }
  return params
}

/** Submits a form the way the browser does without JavaScript, the button that sent it included. */
export function submitNatively(form: HTMLFormElement, submitter: HTMLElement | null | undefined): void {
  const name = submitter?.getAttribute('name')
  let extra: HTMLInputElement | undefined
  if (name) {
    extra = Object.assign(document.createElement('input'), {
      type: 'hidden',
      name,
      value: (submitter as HTMLButtonElement).value,
    })
    form.appendChild(extra)
  }
  // HTMLFormElement's own submit(): no submit event, so the <Form> does not take it back.
  HTMLFormElement.prototype.submit.call(form)
  extra?.remove()
}

/** A GET form's target: its action with the fields as the query (files cannot travel in a URL and are left out). */
export function getTarget(s: Submission): string {
  const url = new URL(s.action, location.href)
  const query = new URLSearchParams()
  for (const [name, value] of s.formData) if (typeof value === 'string') query.append(name, value)
  url.search = query.toString()
  return url.pathname + url.search + url.hash
}

function sameParams(names: string[], a: Params, b: Params): boolean {
  return names.every((n) => a[n] === b[n])
}

/**
 * The route files whose data the router keeps when it loads `layouts` (and `page`) at `params` and `search`:
 * a layout of the page shown whose params and query did not change; the page itself only when `samePage`.
 */
export function keptFiles(
  current: Entry,
  target: { layouts: string[]; page?: string; params: Params; search: string },
  samePage: boolean,
): string[] {
  const { state, view } = current.props
  if (state.search !== target.search) return []
  const have: RouteData = state.data
  const kept: string[] = []
  for (const file of target.layouts) {
    if (
      file in have &&
      view.files.layouts.includes(file) &&
      sameParams(layoutParamNames(file), state.params, target.params)
    )
      kept.push(file)
  }
  if (samePage && target.page !== undefined && target.page in have && target.page === view.files.page)
    kept.push(target.page)
  return kept
}

/**
 * The data an entry shows: what the server sent and what the router kept of the current entry; with
 * `preferKept`, a kept file's data wins over a copy the server sent anyway (a prefetch runs every loader).
 */
export function mergeData(
  current: RouteData,
  kept: readonly string[],
  received: RouteData | undefined,
  preferKept: boolean,
): RouteData {
  const data: RouteData = preferKept ? { ...received } : {}
  for (const file of kept)
    if (file in current && (preferKept || !(received && file in received))) data[file] = current[file]
  return preferKept || !received ? data : Object.assign(data, received)
}
