import { Component, Fragment, useState } from 'react'
import type { ReactElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it, vi } from 'vitest'
import { mergeHead } from '../src/render/head.js'
import type { HeadComponent, HeadProps } from '../src/render/head.js'

const props: HeadProps = { loaderData: { title: 'Post' }, params: { slug: 'x' } }
const h = (component: HeadComponent, file = 'head.tsx') => ({ component, file })
const html = (tags: ReactElement[]) => renderToStaticMarkup(<head>{tags}</head>)
const count = (s: string, re: RegExp) => (s.match(re) ?? []).length

function HookHead() {
  const [t] = useState('x')
  return <title>{t}</title>
}

describe('mergeHead', () => {
  it('keeps one title, the leaf one', () => {
    const tags = mergeHead([h(() => <title>Root</title>), h(() => <title>Leaf</title>, 'blog/head.tsx')], props)
    const out = html(tags)
    expect(count(out, /<title>/g)).toBe(1)
    expect(out).toContain('<title>Leaf</title>')
    expect(out).not.toContain('Root')
  })

  it('dedupes meta by name, property, httpEquiv and charSet; deepest wins', () => {
    const root = () => (
      <>
        <meta charSet="latin1" />
        <meta name="description" content="root desc" />
        <meta property="og:title" content="root og" />
        <meta httpEquiv="refresh" content="10" />
        <meta name="robots" content="index" />
      </>
    )
    const leaf = () => (
      <>
        <meta charSet="utf-8" />
        <meta name="description" content="leaf desc" />
        <meta property="og:title" content="leaf og" />
        <meta httpEquiv="refresh" content="30" />
      </>
    )
    const out = html(mergeHead([h(root), h(leaf, 'a/head.tsx')], props))
    expect(count(out, /<meta charSet=/gi)).toBe(1)
    expect(out).toMatch(/<meta charSet="utf-8"\/>/i)
    expect(count(out, /name="description"/g)).toBe(1)
    expect(out).toContain('leaf desc')
    expect(out).not.toContain('root desc')
    expect(count(out, /property="og:title"/g)).toBe(1)
    expect(out).toContain('leaf og')
    expect(count(out, /http-equiv="refresh"/g)).toBe(1)
    expect(out).toContain('content="30"')
    // a key only the root set survives
    expect(out).toContain('name="robots"')
  })

  it('name and property with the same value are different keys', () => {
    const tags = mergeHead(
      [h(() => [<meta key="1" name="x" content="a" />, <meta key="2" property="x" content="b" />])],
      props,
    )
    expect(tags).toHaveLength(2)
  })

  it('keeps the position where a key first appeared', () => {
    const root = () => [<title key="t">Root</title>, <meta key="d" name="description" content="root" />]
    const leaf = () => [<meta key="d" name="description" content="leaf" />, <title key="t">Leaf</title>]
    const tags = mergeHead([h(root), h(leaf)], props)
    expect(tags.map((t) => t.type)).toEqual(['title', 'meta'])
    expect(html(tags)).toBe('<head><title>Leaf</title><meta name="description" content="leaf"/></head>')
  })

  it('dedupes links by rel and href', () => {
    const root = () => (
      <>
        <link rel="canonical" href="https://e.com/a" />
        <link rel="stylesheet" href="/a.css" />
        <link rel="stylesheet" href="/b.css" />
      </>
    )
    const leaf = () => (
      <>
        <link rel="stylesheet" href="/a.css" media="print" />
      </>
    )
    const out = html(mergeHead([h(root), h(leaf)], props))
    expect(count(out, /href="\/a\.css"/g)).toBe(1)
    expect(out).toContain('media="print"')
    expect(out).toContain('href="/b.css"')
    expect(out).toContain('href="https://e.com/a"')
  })

  it('flattens fragments and arrays, including nested ones', () => {
    const head = () => (
      <Fragment>
        {[<title key="t">T</title>, [<meta key="m" name="a" content="1" />]]}
        <>
          <>
            <meta name="b" content="2" />
          </>
        </>
        {null}
        {false}
        {'text is dropped'}
      </Fragment>
    )
    const tags = mergeHead([h(head)], props)
    expect(tags.map((t) => t.type)).toEqual(['title', 'meta', 'meta'])
    expect(html(tags)).not.toContain('text is dropped')
  })

  it('keeps every non-keyed tag (scripts, meta without a key attribute)', () => {
    const root = () => <script src="/a.js" />
    const leaf = () => (
      <>
        <script src="/a.js" />
        <script>{'1'}</script>
      </>
    )
    const tags = mergeHead([h(root), h(leaf)], props)
    expect(tags).toHaveLength(3)
    expect(count(html(tags), /<script/g)).toBe(3)
  })

  it('gives every returned element a unique key', () => {
    const tags = mergeHead(
      [h(() => [<script key="a" />, <title key="b">x</title>, <script key="c" />]), h(() => <script />)],
      props,
    )
    const keys = tags.map((t) => t.key)
    expect(new Set(keys).size).toBe(keys.length)
    expect(keys.every((k) => k !== null)).toBe(true)
  })

  it('passes loaderData and params to each head component', () => {
    const a = vi.fn((p: HeadProps) => <title>{(p.loaderData as { title: string }).title}</title>)
    const b = vi.fn((p: HeadProps) => <meta name="slug" content={p.params.slug} />)
    const out = html(mergeHead([h(a), h(b)], props))
    expect(a).toHaveBeenCalledWith(props)
    expect(b).toHaveBeenCalledWith(props)
    expect(out).toContain('<title>Post</title>')
    expect(out).toContain('content="x"')
  })

  // Regression: React 19 calling a hook outside a render throws "Cannot read properties of null (reading
  // 'useState')"; the user must get the file and the fix instead. Heads are merged before rendering (never
  // inside ParetoApp's render, where a hook would silently run on ParetoApp's own dispatcher).
  it('a head component calling a hook throws naming the file', () => {
    // silence React's "Invalid hook call" warning
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      expect(() => mergeHead([h(() => <title>ok</title>), h(HookHead, 'blog/head.tsx')], props)).toThrow(
        /blog\/head\.tsx: .*cannot use hooks/,
      )
    } finally {
      spy.mockRestore()
    }
  })

  // The original's SEO guide writes its Open Graph tags in a component of their own, used inside head.tsx.
  it("de-duplicates the tags of a helper component like the head file's own, deepest wins", () => {
    function OpenGraphTags({ title, type = 'website' }: { title: string; type?: string }) {
      return (
        <>
          <meta property="og:title" content={title} />
          <meta property="og:type" content={type} />
        </>
      )
    }
    const Nested = ({ title }: { title: string }) => (
      <>
        <title>{title}</title>
        <OpenGraphTags title={title} type="article" />
      </>
    )
    const root = () => (
      <>
        <title>Root</title>
        <OpenGraphTags title="Root" />
      </>
    )
    const leaf = () => [<Nested key="n" title="Leaf" />, <meta key="d" property="og:title" content="Direct" />]
    const out = html(mergeHead([h(root), h(leaf, 'blog/head.tsx')], props))
    expect(out).toBe(
      '<head><title>Leaf</title><meta property="og:title" content="Direct"/><meta property="og:type" content="article"/></head>',
    )
  })

  it('keeps class components as elements (React renders them; their tags are not merged)', () => {
    class Tags extends Component {
      render() {
        return <meta name="x" content="class" />
      }
    }
    const tags = mergeHead([h(() => <Tags />)], props)
    expect(tags).toHaveLength(1)
    expect(tags[0]!.type).toBe(Tags)
  })

  it('a helper component calling a hook throws naming the head file and the helper', () => {
    function OpenGraphTags() {
      const [title] = useState('x')
      return <meta property="og:title" content={title} />
    }
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      expect(() => mergeHead([h(() => <OpenGraphTags />, 'app/blog/head.tsx')], props)).toThrow(
        /^app\/blog\/head\.tsx: <OpenGraphTags \/> is called as a plain function .* Keep head helpers hook-free/,
      )
    } finally {
      spy.mockRestore()
    }
  })

  it('a head or helper that returns a promise throws naming the file', () => {
    const Later = async () => <title>late</title>
    expect(() => mergeHead([h(() => <Later />, 'app/head.tsx')], props)).toThrow(
      /^app\/head\.tsx: a head component or helper returned a promise/,
    )
  })

  it('rethrows other errors unchanged', () => {
    const boom = new Error('boom')
    expect(() =>
      mergeHead(
        [
          h(() => {
            throw boom
          }),
        ],
        props,
      ),
    ).toThrow(boom)
  })

  it('returns nothing for heads that render nothing', () => {
    expect(mergeHead([h(() => null), h(() => undefined)], props)).toEqual([])
    expect(mergeHead([], props)).toEqual([])
  })
})

describe('documentHead', () => {
  it('starts with charset and viewport; a head.tsx viewport replaces the built-in one', async () => {
    const { documentHead } = await import('../src/render/head.js')
    const plain = renderToStaticMarkup(<head>{documentHead([], { loaderData: undefined, params: {} })}</head>)
    expect(plain).toBe(
      '<head><meta charSet="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/></head>',
    )
    const own = renderToStaticMarkup(
      <head>
        {documentHead([{ component: () => <meta name="viewport" content="width=1024" />, file: 'app/head.tsx' }], {
          loaderData: undefined,
          params: {},
        })}
      </head>,
    )
    expect(own.match(/name="viewport"/g)).toHaveLength(1)
    expect(own).toContain('content="width=1024"')
  })

  it('without head files, makes the built-in tags once and reuses them for every request', async () => {
    const { documentHead } = await import('../src/render/head.js')
    const first = documentHead([], { loaderData: { a: 1 }, params: {} })
    expect(documentHead([], { loaderData: { b: 2 }, params: { x: 'y' } })).toBe(first)
    const withFile = [{ component: () => <title>T</title>, file: 'app/head.tsx' }]
    expect(documentHead(withFile, { loaderData: undefined, params: {} })).not.toBe(first)
  })
})
