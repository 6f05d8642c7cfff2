import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launch } from '../helpers/browser.js'
import { buildFixture, openIsolatedPage } from '../helpers/fixtures.js'
import { REPO_DIR } from '../helpers/paths.js'
import { startServer } from '../helpers/server.js'
import type { RunningServer } from '../helpers/server.js'

// Open Graph tags written in a component of their own and used in two head.tsx files (as the original's SEO
// guide does): the page's tags replace the root's, on the first load and after a client navigation alike.
const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'head-helpers', private: true, type: 'module' }),
  'app/_seo/open-graph.tsx': `export function OpenGraphTags({ title, type = 'website' }: { title: string; type?: string }) {
  return (
    <>
      <meta property="og:title" content={title} />
      <meta property="og:type" content={type} />
    </>
  )
}
`,
  'app/head.tsx': `import { OpenGraphTags } from './_seo/open-graph'

export default function Head() {
  return (
    <>
      <title>Home</title>
      <OpenGraphTags title="Site" />
    </>
  )
}
`,
  'app/page.tsx': `import { Link } from '@paretojs/core'

export default function Home() {
  return <Link href="/post" id="to-post">Post</Link>
}
`,
  'app/post/head.tsx': `import type { HeadProps } from '@paretojs/core'
import { OpenGraphTags } from '../_seo/open-graph'

export default function Head({ loaderData }: HeadProps) {
  const { title } = loaderData as { title: string }
  return (
    <>
      <title>{title}</title>
      <OpenGraphTags title={title} type="article" />
    </>
  )
}
`,
  'app/post/page.tsx': `import { Link, useLoaderData } from '@paretojs/core'

export function loader() {
  return { title: 'A post' }
}

export default function Post() {
  const { title } = useLoaderData<typeof loader>()
  return (
    <main>
      <h1 id="post">{title}</h1>
      <Link href="/" id="home">Home</Link>
    </main>
  )
}
`,
}

const metas = (html: string, property: string) =>
  [...html.matchAll(new RegExp(`<meta property="${property}" content="([^"]*)"/>`, 'g'))].map((m) => m[1])

describe('head helpers: tags from a component used in head.tsx', () => {
  let dir: string
  let server: RunningServer
  let browser: Browser
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pareto-head-helpers-'))
    for (const [file, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true })
      writeFileSync(join(dir, file), text)
    }
    mkdirSync(join(dir, 'node_modules/@paretojs'), { recursive: true })
    for (const pkg of ['@paretojs/core', 'react', 'react-dom', 'vite'])
      symlinkSync(join(REPO_DIR, 'node_modules', pkg), join(dir, 'node_modules', pkg), 'dir')
    await buildFixture(dir)
    ;[server, browser] = await Promise.all([startServer(dir, 'start'), launch()])
  })
  afterAll(async () => {
    await Promise.all([server?.stop(), browser?.close()])
    rmSync(dir, { recursive: true, force: true })
  })

  it("the server's HTML has one og:title and one og:type, the page's", async () => {
    const html = await (await fetch(server.url + '/post')).text()
    expect(metas(html, 'og:title')).toEqual(['A post'])
    expect(metas(html, 'og:type')).toEqual(['article'])
    const home = await (await fetch(server.url + '/')).text()
    expect(metas(home, 'og:title')).toEqual(['Site'])
    expect(metas(home, 'og:type')).toEqual(['website'])
  })

  it('a client navigation leaves one of each too, there and back', async () => {
    const { page, problems, close } = await openIsolatedPage(browser)
    const tags = () =>
      page.evaluate(() =>
        ['og:title', 'og:type'].map((p) =>
          Array.from(document.head.querySelectorAll(`meta[property="${p}"]`)).map((m) => m.getAttribute('content')),
        ),
      )
    await page.goto(server.url + '/', { waitUntil: 'load' })
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1))
    await page.click('#to-post')
    await page.waitForSelector('#post')
    await page.waitForFunction(() => document.title === 'A post')
    expect(await tags()).toEqual([['A post'], ['article']])
    await page.click('#home')
    await page.waitForFunction(() => document.title === 'Home')
    expect(await tags()).toEqual([['Site'], ['website']])
    // The same document throughout: these were client navigations, not page loads.
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1)
    expect(problems.errors).toEqual([])
    expect(problems.failedRequests).toEqual([])
    await close()
  })
})
