// @vitest-environment happy-dom
import { act } from 'react'
import { hydrateRoot } from 'react-dom/client'
import type { Root } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import type { ReactNode } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Mock, MockInstance } from 'vitest'
import { defineContextStore, defineStore } from '../../src/store/index.js'

interface PostData {
  id: number
  title: string
  likes: number
}

interface PostState {
  post: PostData
  liked: boolean
  like: () => void
}

const PostStore = defineContextStore<PostState, PostData>((post) => (set) => ({
  post,
  liked: false,
  like: () =>
    set((draft) => {
      draft.post.likes++
      draft.liked = true
    }),
}))

function PostView() {
  const { post, liked, like } = PostStore.useStore()
  return (
    <article>
      <h1>{post.title}</h1>
      <button onClick={like}>
        {post.likes} likes{liked ? ' (you)' : ''}
      </button>
    </article>
  )
}

function PostPage({ loaderData }: { loaderData: PostData }) {
  return (
    <PostStore.Provider initialData={loaderData}>
      <PostView />
    </PostStore.Provider>
  )
}

let consoleError: MockInstance<typeof console.error>
let recoverable: Mock<(error: unknown) => void>
let root: Root | undefined
let container: HTMLElement

beforeEach(() => {
  ;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true
  consoleError = vi.spyOn(console, 'error').mockImplementation(() => {})
  recoverable = vi.fn<(error: unknown) => void>()
  container = document.createElement('div')
  document.body.appendChild(container)
})

afterEach(() => {
  act(() => root?.unmount())
  root = undefined
  container.remove()
  vi.restoreAllMocks()
})

function serverRender(node: ReactNode): string {
  const html = renderToString(node)
  container.innerHTML = html
  return html
}

function hydrate(node: ReactNode) {
  act(() => {
    root = hydrateRoot(container, node, { onRecoverableError: recoverable })
  })
}

describe('hydration', () => {
  it('hydrates a context store seeded from loader data without a mismatch', () => {
    // Separate objects, as after serialising loader data to the client and parsing it back.
    const html = serverRender(<PostPage loaderData={{ id: 1, title: 'Streams', likes: 3 }} />)
    expect(html).toContain('Streams')
    const button = container.querySelector('button')!

    hydrate(<PostPage loaderData={{ id: 1, title: 'Streams', likes: 3 }} />)
    expect(recoverable).not.toHaveBeenCalled()
    expect(consoleError).not.toHaveBeenCalled()
    // Hydration adopted the server's nodes instead of re-creating them.
    expect(container.querySelector('button')).toBe(button)

    act(() => button.click())
    expect(button.textContent).toBe('4 likes (you)')
  })

  it('reports a mismatch when client initialData differs (the spies can see one)', () => {
    serverRender(<PostPage loaderData={{ id: 1, title: 'Streams', likes: 3 }} />)
    hydrate(<PostPage loaderData={{ id: 1, title: 'Other', likes: 3 }} />)
    expect(recoverable.mock.calls.length + consoleError.mock.calls.length).toBeGreaterThan(0)
  })

  it('hydrates a global store from its initial state even if it changed before hydration', () => {
    const prefs = defineStore<{ theme: string; toggle: () => void }>((set) => ({
      theme: 'light',
      toggle: () =>
        set((draft) => {
          draft.theme = draft.theme === 'light' ? 'dark' : 'light'
        }),
    }))
    function Theme() {
      return <p>{prefs.useStore().theme}</p>
    }
    serverRender(<Theme />)
    // e.g. a preference restored from localStorage in client code that ran before hydrateRoot.
    prefs.getState().toggle()

    hydrate(<Theme />)
    expect(recoverable).not.toHaveBeenCalled()
    expect(consoleError).not.toHaveBeenCalled()
    // Right after hydration the component catches up with the client state.
    expect(container.textContent).toBe('dark')
  })

  it('does not re-render after hydration for changes to properties the component did not read', () => {
    const ui = defineStore<{ theme: string; drawerOpen: boolean }>(() => ({ theme: 'light', drawerOpen: false }))
    let renders = 0
    function Theme() {
      renders++
      return <p>{ui.useStore().theme}</p>
    }
    serverRender(<Theme />)
    ui.setState({ drawerOpen: true })

    hydrate(<Theme />)
    expect(recoverable).not.toHaveBeenCalled()
    expect(renders).toBe(2) // one server render, one hydration render
  })
})
