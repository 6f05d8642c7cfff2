import { Children, Fragment, cloneElement, isValidElement } from 'react'
import type { ReactElement, ReactNode } from 'react'
import type { Params } from '../routes/types.js'

/** Props every `head.tsx` component receives. */
export interface HeadProps {
  loaderData: unknown
  params: Params
}

/** The default export of a `head.tsx` file. */
export type HeadComponent = (props: HeadProps) => ReactNode

type AnyProps = Record<string, unknown>

/** The identity of a head tag: two tags with the same key are duplicates, and the deeper one wins. */
export function headKey(el: ReactElement): string | null {
  const p = el.props as AnyProps
  switch (el.type) {
    case 'title':
      return 'title'
    case 'base':
      return 'base'
    case 'meta':
      if (p.charSet !== undefined) return 'meta:charset'
      if (p.name !== undefined) return `meta:name:${String(p.name)}`
      if (p.property !== undefined) return `meta:property:${String(p.property)}`
      if (p.httpEquiv !== undefined) return `meta:http-equiv:${String(p.httpEquiv)}`
      if (p.itemProp !== undefined) return `meta:itemprop:${String(p.itemProp)}`
      return null
    case 'link':
      return p.rel !== undefined && p.href !== undefined ? `link:${String(p.rel)}:${String(p.href)}` : null
    default:
      return null
  }
}

type HeadHelper = ((props: AnyProps) => ReactNode) & { displayName?: string }

// A function component that is not a class: called like the head file itself, so its tags merge with the rest.
function isHelper(type: unknown): type is HeadHelper {
  return typeof type === 'function' && !(type.prototype as { isReactComponent?: unknown } | undefined)?.isReactComponent
}

// Outside a render React 19 has no dispatcher, so a hook fails reading `useX` of null.
const isHookError = (msg: string) => /hook|reading 'use|dispatcher/i.test(msg)

function callHelper(helper: HeadHelper, props: AnyProps, file: string): ReactNode {
  let rendered: ReactNode
  try {
    rendered = helper(props)
  } catch (error) {
    const msg = (error as Error)?.message ?? String(error)
    if (!isHookError(msg)) throw error
    const name = helper.displayName ?? (helper.name || 'a component')
    throw new Error(
      `${file}: <${name} /> is called as a plain function so its tags merge with the other head tags; it cannot use hooks. Keep head helpers hook-free: pass what they need as props from the head component. (${msg})`,
    )
  }
  return checkSync(rendered, file)
}

function checkSync(rendered: ReactNode, file: string): ReactNode {
  if (rendered && typeof (rendered as { then?: unknown }).then === 'function') {
    throw new Error(`${file}: a head component or helper returned a promise; return the tags themselves (no async).`)
  }
  return rendered
}

/** Collects the elements of a head, through fragments, arrays and function components (helpers). */
function flatten(node: ReactNode, out: ReactElement[], file: string): void {
  Children.forEach(node, (child) => {
    if (!isValidElement(child)) return
    const props = child.props as AnyProps
    if (child.type === Fragment) flatten(props.children as ReactNode, out, file)
    else if (isHelper(child.type)) flatten(callHelper(child.type, props, file), out, file)
    else out.push(child)
  })
}

// Every document starts with these; a head.tsx tag with the same key (e.g. its own viewport) replaces them.
const BUILTIN_HEAD = {
  file: 'pareto (built-in head)',
  component: () => (
    <>
      <meta charSet="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
    </>
  ),
}

/**
 * Renders the head components root to leaf and merges their tags: one tag per key, the deepest wins,
 * in the order each key first appeared. Head components, and the function components they use (an
 * `<OpenGraphTags />`), are called as functions, so they must not use hooks; call this before rendering (never
 * during a render, where a hook would run on the caller's dispatcher). Server and client both use it.
 */
export function mergeHead(heads: { component: HeadComponent; file: string }[], props: HeadProps): ReactElement[] {
  const keyed = new Map<string, ReactElement>()
  const order: (string | ReactElement)[] = []
  for (const { component, file } of heads) {
    let rendered: ReactNode
    try {
      rendered = component(props)
    } catch (error) {
      const msg = (error as Error)?.message ?? String(error)
      if (isHookError(msg)) {
        throw new Error(
          `${file}: head components are called as plain functions so their tags can be merged; they cannot use hooks. Read loaderData and params from the props instead. (${msg})`,
        )
      }
      throw error
    }
    const els: ReactElement[] = []
    flatten(checkSync(rendered, file), els, file)
    for (const el of els) {
      const key = headKey(el)
      if (key === null) order.push(el)
      else {
        if (!keyed.has(key)) order.push(key)
        keyed.set(key, el)
      }
    }
  }
  return order.map((item, i) =>
    typeof item === 'string' ? cloneElement(keyed.get(item)!, { key: item }) : cloneElement(item, { key: `h${i}` }),
  )
}

/** The head of a document: the built-in charset and viewport tags, then the route's head files, merged. */
export function documentHead(heads: { component: HeadComponent; file: string }[], props: HeadProps): ReactElement[] {
  // Without head files the tags never change: made once (React elements are immutable, so one array
  // serves every render) instead of on every request.
  if (heads.length === 0) return (builtinOnly ??= mergeHead([BUILTIN_HEAD], props))
  return mergeHead([BUILTIN_HEAD, ...heads], props)
}

let builtinOnly: ReactElement[] | undefined
