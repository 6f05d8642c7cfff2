import { Writable } from 'node:stream'
import { Suspense, use } from 'react'
import type { ReactNode } from 'react'
import { renderToPipeableStream, renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { defineContextStore, defineStore } from '../../src/store/index.js'

interface RequestInit {
  user: string
  plan: string
}

interface RequestState {
  user: string
  plan: string
  greet: () => string
}

const RequestStore = defineContextStore<RequestState, RequestInit>((init) => (_set, get) => ({
  user: init.user,
  plan: init.plan,
  greet: () => `hello ${get().user}`,
}))

function deferred<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => {
    resolve = r
  })
  return { promise, resolve }
}

function Slow({ label, promise }: { label: string; promise: Promise<string> }) {
  const value = use(promise)
  // Read the store only after resuming, when the other request has rendered in between.
  const { user, plan, greet } = RequestStore.useStore()
  return <p>{`[${label} ${value} ${user} ${plan} ${greet()}]`}</p>
}

function Page({ init, first, second }: { init: RequestInit; first: Promise<string>; second: Promise<string> }) {
  return (
    <RequestStore.Provider initialData={init}>
      <main>
        <Header />
        <Suspense fallback={<i>loading first</i>}>
          <Slow label="first" promise={first} />
        </Suspense>
        <Suspense fallback={<i>loading second</i>}>
          <Slow label="second" promise={second} />
        </Suspense>
      </main>
    </RequestStore.Provider>
  )
}

function Header() {
  const { user } = RequestStore.useStore()
  return <h1>{user}</h1>
}

function stream(node: ReactNode) {
  let html = ''
  let shellReady = false
  let done = false
  const finished = new Promise<string>((resolve, reject) => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        html += chunk.toString()
        callback()
      },
      final(callback) {
        done = true
        resolve(html)
        callback()
      },
    })
    const { pipe } = renderToPipeableStream(node, {
      onShellReady() {
        shellReady = true
        pipe(sink)
      },
      onShellError: reject,
      onError: reject,
    })
  })
  return {
    finished,
    isShellReady: () => shellReady,
    isDone: () => done,
    html: () => html,
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5))

describe('context store during streaming SSR', () => {
  it('keeps two concurrent, interleaved renders isolated', async () => {
    const a1 = deferred<string>()
    const a2 = deferred<string>()
    const b1 = deferred<string>()
    const b2 = deferred<string>()

    const a = stream(<Page init={{ user: 'alice', plan: 'free' }} first={a1.promise} second={a2.promise} />)
    const b = stream(<Page init={{ user: 'bob', plan: 'pro' }} first={b1.promise} second={b2.promise} />)
    await tick()
    // Both shells are out and both requests are suspended: they really are in flight together.
    expect(a.isShellReady() && b.isShellReady()).toBe(true)
    expect(a.isDone() || b.isDone()).toBe(false)
    expect(a.html()).toContain('loading first')
    expect(b.html()).toContain('loading second')

    for (const [d, value] of [
      [b1, 'B1'],
      [a1, 'A1'],
      [b2, 'B2'],
    ] as const) {
      d.resolve(value)
      await tick()
    }
    // B finished while A is still waiting on its second boundary.
    expect([a.isDone(), b.isDone()]).toEqual([false, true])
    a2.resolve('A2')

    const [htmlA, htmlB] = await Promise.all([a.finished, b.finished])
    expect(htmlA).toContain('<h1>alice</h1>')
    expect(htmlA).toContain('[first A1 alice free hello alice]')
    expect(htmlA).toContain('[second A2 alice free hello alice]')
    expect(htmlB).toContain('<h1>bob</h1>')
    expect(htmlB).toContain('[first B1 bob pro hello bob]')
    expect(htmlB).toContain('[second B2 bob pro hello bob]')
    expect(htmlA).not.toMatch(/bob|pro\b|B1|B2/)
    expect(htmlB).not.toMatch(/alice|free|A1|A2/)
  })
})

describe('global store during SSR', () => {
  it('renders the state the store was created with, not module state changed on the server', () => {
    const theme = defineStore<{ mode: string }>(() => ({ mode: 'light' }))
    function Theme() {
      return <p>{theme.useStore().mode}</p>
    }
    // Module state is shared by every request in the process...
    theme.setState({ mode: 'dark' })
    expect(theme.getState().mode).toBe('dark')
    // ...so the server snapshot is the initial state, which is also what the client hydrates with.
    expect(renderToString(<Theme />)).toBe('<p>light</p>')
  })
})
