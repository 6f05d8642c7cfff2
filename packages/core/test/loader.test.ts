import { afterEach, describe, expect, it, vi } from 'vitest'
import { GENERIC_MESSAGE, digestOf, toPublicError } from '../src/data/errors.js'
import { runLoader } from '../src/data/loader.js'
import { isNotFound, isRedirect, notFound, redirect } from '../src/data/signals.js'
import type { LoaderContext } from '../src/data/types.js'

const ctx = { req: {}, res: {}, params: { id: '7' }, signal: new AbortController().signal } as unknown as LoaderContext

describe('runLoader', () => {
  it('returns data for a missing loader as undefined', async () => {
    expect(await runLoader(undefined, ctx, 'page.tsx')).toEqual({ kind: 'data', data: undefined })
  })

  it('returns what the loader returns (sync or async) and passes the context', async () => {
    const fn = vi.fn((c: LoaderContext) => ({ id: c.params.id }))
    expect(await runLoader(fn, ctx, 'page.tsx')).toEqual({ kind: 'data', data: { id: '7' } })
    expect(fn).toHaveBeenCalledWith(ctx)
    expect(await runLoader(async () => [1, 2], ctx, 'page.tsx')).toEqual({ kind: 'data', data: [1, 2] })
    expect(await runLoader(() => 0, ctx, 'page.tsx')).toEqual({ kind: 'data', data: 0 })
    expect(await runLoader(() => null, ctx, 'page.tsx')).toEqual({ kind: 'data', data: null })
  })

  it('classifies a loader that answers at once without a promise, and one that waits with one', async () => {
    expect(runLoader(() => ({ a: 1 }), ctx, 'page.tsx')).toEqual({ kind: 'data', data: { a: 1 } })
    expect(runLoader(() => redirect('/x'), ctx, 'page.tsx')).toEqual({ kind: 'redirect', location: '/x', status: 302 })
    const thrown = runLoader(
      () => {
        throw new Error('boom')
      },
      ctx,
      'page.tsx',
    )
    expect(thrown).toMatchObject({ kind: 'error', error: { message: 'boom' } })
    const waiting = runLoader(async () => 1, ctx, 'page.tsx')
    expect(waiting).toBeInstanceOf(Promise)
    expect(await waiting).toEqual({ kind: 'data', data: 1 })
    expect(runLoader(() => () => 1, ctx, 'app/page.tsx')).toMatchObject({
      kind: 'error',
      error: { message: expect.stringContaining('app/page.tsx: loader returned a function') },
    })
    // A thenable that is not a native promise is waited for too.
    const thenable = { then: (ok: (v: number) => void) => ok(2) }
    expect(await runLoader(() => thenable, ctx, 'page.tsx')).toEqual({ kind: 'data', data: 2 })
  })

  it('a thrown redirect becomes a redirect outcome with its status', async () => {
    const out = await runLoader(
      () => {
        throw redirect('/x', 301)
      },
      ctx,
      'page.tsx',
    )
    expect(out).toEqual({ kind: 'redirect', location: '/x', status: 301 })
  })

  it('redirect defaults to 302, and a returned or async-thrown redirect works too', async () => {
    expect(await runLoader(() => redirect('/login'), ctx, 'p')).toEqual({
      kind: 'redirect',
      location: '/login',
      status: 302,
    })
    expect(
      await runLoader(
        async () => {
          await Promise.resolve()
          throw redirect('/y', 307)
        },
        ctx,
        'p',
      ),
    ).toEqual({ kind: 'redirect', location: '/y', status: 307 })
  })

  it('notFound() thrown or returned becomes not-found', async () => {
    expect(
      await runLoader(
        () => {
          throw notFound()
        },
        ctx,
        'p',
      ),
    ).toEqual({ kind: 'not-found' })
    expect(await runLoader(async () => notFound(), ctx, 'p')).toEqual({ kind: 'not-found' })
  })

  it('other throws and rejections become error outcomes with the same error', async () => {
    const err = new Error('db down')
    expect(
      await runLoader(
        () => {
          throw err
        },
        ctx,
        'p',
      ),
    ).toEqual({ kind: 'error', error: err })
    const out = await runLoader(() => Promise.reject('str'), ctx, 'p')
    expect(out).toEqual({ kind: 'error', error: 'str' })
    const o2 = await runLoader(
      async () => {
        throw err
      },
      ctx,
      'p',
    )
    expect(o2.kind === 'error' && o2.error).toBe(err)
  })

  it('a loader returning a function is an error naming the file', async () => {
    const out = await runLoader(() => () => 1, ctx, 'app/blog/loader.ts')
    expect(out.kind).toBe('error')
    const message = (out as { error: Error }).error.message
    expect(message).toContain('app/blog/loader.ts')
    expect(message).toMatch(/loaders must return data/)
  })
})

describe('redirect / notFound', () => {
  // Both throw their signal by themselves.
  const thrownBy = (fn: () => unknown): unknown => {
    try {
      fn()
    } catch (signal) {
      return signal
    }
    throw new Error('expected the call to throw')
  }

  it.each([301, 302, 303, 307, 308])('accepts %i', (status) => {
    const r = thrownBy(() => redirect('/a', status))
    if (!isRedirect(r)) throw new Error('expected a redirect signal')
    expect(r.status).toBe(status)
    expect(r.location).toBe('/a')
  })

  it.each([200, 304, 300, 404, 0])('throws a TypeError naming the valid statuses for %i', (status) => {
    expect(() => redirect('/x', status)).toThrow(TypeError)
    expect(() => redirect('/x', status)).toThrow(/301, 302, 303, 307 or 308/)
    expect(() => redirect('/x', status)).toThrow(String(status))
  })

  it('signals are recognised only for what the helpers return', () => {
    expect(isNotFound(thrownBy(notFound))).toBe(true)
    expect(isNotFound(thrownBy(() => redirect('/a')))).toBe(false)
    expect(isRedirect({ location: '/a', status: 302 })).toBe(false)
    expect(isRedirect(null)).toBe(false)
    expect(isNotFound('notFound')).toBe(false)
  })
})

describe('toPublicError', () => {
  const spy = () => vi.spyOn(console, 'error').mockImplementation(() => {})
  afterEach(() => vi.restoreAllMocks())

  it('dev: real name, message, stack and a digest', () => {
    spy()
    const err = new RangeError('secret detail')
    const pub = toPublicError(err, true, 'loader app/page.tsx')
    expect(pub.name).toBe('RangeError')
    expect(pub.message).toBe('secret detail')
    expect(pub.stack).toBe(err.stack)
    expect(pub.digest).toMatch(/^[0-9a-f]{10}$/)
  })

  it('prod: generic message, no stack, a digest', () => {
    spy()
    const pub = toPublicError(new Error('secret detail'), false, 'x')
    expect(pub).toEqual({ name: 'Error', message: GENERIC_MESSAGE, digest: expect.stringMatching(/^[0-9a-f]{10}$/) })
    expect(JSON.stringify(pub)).not.toContain('secret')
  })

  it('prod: expose: true shows the real message but no stack', () => {
    spy()
    const err = Object.assign(new Error('Not allowed'), { expose: true, name: 'Forbidden' })
    const pub = toPublicError(err, false, 'x')
    expect(pub.message).toBe('Not allowed')
    expect(pub.name).toBe('Forbidden')
    expect(pub.stack).toBeUndefined()
    expect(pub.digest).toBeTruthy()
  })

  it('prod: expose must be exactly true', () => {
    spy()
    expect(toPublicError(Object.assign(new Error('no'), { expose: 'yes' }), false, 'x').message).toBe(GENERIC_MESSAGE)
  })

  it('non-Error values', () => {
    spy()
    expect(toPublicError('plain string', true, 'x').message).toBe('plain string')
    expect(toPublicError(42, true, 'x').message).toBe('Non-error value thrown')
    expect(toPublicError('plain string', false, 'x').message).toBe(GENERIC_MESSAGE)
  })

  it('the same error object always gets the same digest; different objects get different ones', () => {
    spy()
    const err = new Error('e')
    const a = toPublicError(err, false, 'x').digest
    const b = toPublicError(err, true, 'y').digest
    expect(a).toBe(b)
    expect(digestOf(err)).toBe(a)
    expect(toPublicError(new Error('e'), false, 'x').digest).not.toBe(a)
  })

  it('logs once per error object, with the digest and where', () => {
    const log = spy()
    const err = new Error('boom')
    const { digest } = toPublicError(err, false, 'loader app/page.tsx')
    toPublicError(err, false, 'render')
    toPublicError(err, true, 'render')
    expect(log).toHaveBeenCalledTimes(1)
    const line = String(log.mock.calls[0][0])
    expect(line).toContain(`digest: ${digest}`)
    expect(line).toContain('loader app/page.tsx')
    expect(line).toContain('boom')
    toPublicError(new Error('other'), false, 'x')
    expect(log).toHaveBeenCalledTimes(2)
  })
})
