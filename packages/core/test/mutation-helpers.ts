import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequestHandler } from '../src/node/request-handler.js'
import type { RouteModule, ServerBuild } from '../src/server/build-types.js'
import { resolveConfig } from '../src/config.js'
import type { ParetoConfig } from '../src/config.js'
import { compareRoutes } from '../src/routes/segments.js'
import type { RouteEntry } from '../src/routes/types.js'
import { createContext, runInContext } from 'node:vm'
import { decodeFrames, queueToStream } from '../src/wire/decode.js'
import type { Frame, FrameQueue } from '../src/wire/global.js'
import type { NavigationPayload, PageData } from '../src/wire/protocol.js'

// Shared by the mutation tests: an in-memory build served by createRequestHandler on a loopback server.

/** A page route at a static path (`/a/b`), with its file and the layouts around it. */
export function pageRoute(path: string, file: string, layouts: string[] = ['layout.tsx']): RouteEntry {
  const parts = path.split('/').filter(Boolean)
  return {
    id: path,
    kind: 'page',
    segments: parts.map((value) => ({ type: 'static' as const, value })),
    file,
    layouts,
    heads: [],
  }
}

/** A route.ts at a static path. */
export function resourceRoute(path: string, file: string): RouteEntry {
  return { ...pageRoute(path, file, []), kind: 'resource' }
}

/** A server build from routes and modules, with the root layout, not-found.tsx and error.tsx when given. */
export function makeBuild(
  routes: RouteEntry[],
  modules: Record<string, RouteModule>,
  config: ParetoConfig = {},
): ServerBuild {
  return {
    table: {
      routes: [...routes].sort(compareRoutes),
      notFound: modules['not-found.tsx'] ? 'not-found.tsx' : undefined,
      error: modules['error.tsx'] ? 'error.tsx' : undefined,
      rootLayout: modules['layout.tsx'] ? 'layout.tsx' : undefined,
    },
    modules,
    config: resolveConfig(config),
  } as ServerBuild
}

/** Serves a build on 127.0.0.1 (production mode unless `dev`); resolves with its base URL and a closer. */
export async function serve(
  build: ServerBuild,
  dev = false,
): Promise<{ url: string; port: number; close: () => Promise<unknown> }> {
  const s = createServer(createRequestHandler({ build, bootstrapModules: ['/entry.js'], dev }))
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok))
  const port = (s.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise((ok) => {
        s.closeAllConnections()
        s.close(ok)
      }),
  }
}

/** Reads a navigation response's frames to the end. */
export function payloadOf(r: Response): Promise<NavigationPayload> {
  return decodeFrames<NavigationPayload>(r.body!.pipeThrough(new TextDecoderStream()))
}

/**
 * The page data a document carries in its inline scripts (the boot script's frames, then `__PARETO.f.push(…)`),
 * decoded as the browser would: the scripts are run in a sandbox, their frames queued and read.
 */
export async function documentData(html: string): Promise<PageData> {
  const sandbox: Record<string, unknown> = { addEventListener() {} }
  sandbox.self = sandbox
  const context = createContext(sandbox)
  for (const m of html.matchAll(/<script(?: [^>]*)?>([\s\S]*?)<\/script>/g)) {
    if (m[1].includes('__PARETO')) runInContext(m[1], context)
  }
  // Into this realm, as plain JSON values (the frames are JSON lines and strings).
  const frames = JSON.parse(JSON.stringify((sandbox.__PARETO as { f: Frame[] }).f)) as Frame[]
  const queue = [] as unknown as Frame[] & FrameQueue
  const stream = queueToStream(queue)
  queue.push(...frames)
  return decodeFrames<PageData>(stream)
}
