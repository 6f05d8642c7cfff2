import { describe, expect, expectTypeOf, it, vi } from 'vitest'
import { runLoader } from '../src/data/loader.js'
import { isNotFound, isRedirect, notFound, redirect } from '../src/data/signals.js'
import type { LoaderContext } from '../src/data/types.js'
import type { LoaderData } from '../src/render/hooks.js'

const ctx = { req: {}, res: {}, params: {}, signal: new AbortController().signal } as unknown as LoaderContext

// Compile-time: a function typed `never` may not end, so these compile only while both helpers are typed `never`.
function mustNotReturnRedirect(): never {
  redirect('/login')
}
function mustNotReturnNotFound(): never {
  notFound()
}

function loaderWithReturnedRedirect(c: LoaderContext) {
  // Existing user code writes `return redirect(...)`; it must still compile and leave the data type clean.
  if (!c.params.id) return redirect('/')
  return { id: c.params.id }
}

describe('redirect() and notFound() throw by themselves', () => {
  it('a bare redirect() stops the loader and becomes a redirect outcome', () => {
    const after = vi.fn()
    const loader = () => {
      redirect('/login', 303)
      after()
      return { reached: true }
    }
    expect(runLoader(loader, ctx, 'page.tsx')).toEqual({ kind: 'redirect', location: '/login', status: 303 })
    expect(after).not.toHaveBeenCalled()
  })

  it('a bare notFound() stops the loader and becomes not-found', () => {
    const after = vi.fn()
    const loader = () => {
      notFound()
      after()
      return { reached: true }
    }
    expect(runLoader(loader, ctx, 'page.tsx')).toEqual({ kind: 'not-found' })
    expect(after).not.toHaveBeenCalled()
  })

  it('works bare after an await, and with throw or return as before', async () => {
    const bareAsync = async () => {
      await Promise.resolve()
      redirect('/later')
    }
    expect(await runLoader(bareAsync, ctx, 'p')).toEqual({ kind: 'redirect', location: '/later', status: 302 })
    const notFoundAsync = async () => {
      await Promise.resolve()
      notFound()
    }
    expect(await runLoader(notFoundAsync, ctx, 'p')).toEqual({ kind: 'not-found' })
    expect(
      runLoader(
        () => {
          throw redirect('/thrown', 301)
        },
        ctx,
        'p',
      ),
    ).toEqual({ kind: 'redirect', location: '/thrown', status: 301 })
    expect(runLoader(loaderWithReturnedRedirect, ctx, 'p')).toEqual({ kind: 'redirect', location: '/', status: 302 })
    expect(runLoader(() => notFound(), ctx, 'p')).toEqual({ kind: 'not-found' })
  })

  it('what they throw is recognised by isRedirect / isNotFound', () => {
    expect(mustNotReturnRedirect).toThrow()
    expect(mustNotReturnNotFound).toThrow()
    try {
      mustNotReturnRedirect()
    } catch (signal) {
      expect(isRedirect(signal)).toBe(true)
      expect(isNotFound(signal)).toBe(false)
      expect(signal).toMatchObject({ location: '/login' })
      // No status given: the runner applies its default (302 from a loader, 303 from an action).
      expect((signal as { status?: number }).status).toBeUndefined()
    }
    try {
      mustNotReturnNotFound()
    } catch (signal) {
      expect(isNotFound(signal)).toBe(true)
      expect(isRedirect(signal)).toBe(false)
    }
  })

  it('a bad status is still a TypeError, not a redirect', () => {
    let caught: unknown
    try {
      redirect('/x', 200)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(TypeError)
    expect(isRedirect(caught)).toBe(false)
  })

  it('are typed never, so `return redirect()` adds nothing to the loader data type', () => {
    expectTypeOf(redirect).returns.toBeNever()
    expectTypeOf(notFound).returns.toBeNever()
    expectTypeOf<LoaderData<typeof loaderWithReturnedRedirect>>().toEqualTypeOf<{ id: string }>()
  })
})
