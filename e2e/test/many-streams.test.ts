import { readdirSync, readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FIXTURE } from '../helpers/paths.js'
import { waitFor } from '../helpers/process.js'
import { startServer } from '../helpers/server.js'
import type { RunningServer } from '../helpers/server.js'
import { arrivalOf, fetchTimed, request } from '../helpers/wire.js'
import type { TimedResponse } from '../helpers/wire.js'

// The CI form of the bench's many-streams section (bench/lib/many-streams.mjs): the hold page's value is 1 s away.
const STREAMS = 200
const SHELL = '<h1 id="hold">Held stream</h1>'
const VALUE = '<p id="held">held value</p>'

// On SIGUSR2 the server collects garbage and prints its live memory: a leak shows there, free of GC timing.
const MEMORY_PROBE =
  "process.on('SIGUSR2', () => { gc(); const m = process.memoryUsage(); console.log(`[probe] ${m.heapUsed + m.external}`) })"

let server: RunningServer
beforeAll(async () => {
  server = await startServer(FIXTURE, 'start', {
    nodeArgs: ['--expose-gc', '--import', `data:text/javascript,${encodeURIComponent(MEMORY_PROBE)}`],
  })
})
afterAll(async () => {
  await server?.stop()
})

const openFds = () => readdirSync(`/proc/${server.proc.pid}/fd`).length
const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.proc.pid}/status`, 'utf8'))![1]) * 1024

/** The fd count once two reads 100 ms apart agree (a closed connection's socket may linger a moment). */
async function settledFds(): Promise<number> {
  for (let last = openFds(); ;) {
    await new Promise((r) => setTimeout(r, 100))
    const now = openFds()
    if (now === last) return now
    last = now
  }
}

/** The server's live JS heap and external memory after a full GC, and its RSS just after. */
async function memoryAfterGc(): Promise<{ live: number; rss: number }> {
  const probes = () => [...server.output().matchAll(/\[probe\] (\d+)/g)]
  const before = probes().length
  server.proc.kill('SIGUSR2')
  const line = await waitFor(() => probes()[before], 'the memory probe', 5000)
  return { live: Number(line[1]), rss: rss() }
}

/** STREAMS GETs of /hold started together, each on a connection of its own that closes after it. */
async function holdAll(): Promise<TimedResponse[]> {
  const url = server.url + '/hold'
  return Promise.all(Array.from({ length: STREAMS }, () => fetchTimed(url, { connection: 'close' })))
}

function expectStreamed(responses: TimedResponse[]): void {
  for (const r of responses) {
    expect(r.status).toBe(200)
    // The shell is sent ahead of the value, in a chunk of its own, however long the queue was.
    expect(arrivalOf(r, SHELL)).toBeLessThan(arrivalOf(r, VALUE))
    expect(r.body.trimEnd().endsWith('</body></html>')).toBe(true)
  }
}

describe(`${STREAMS} streams open at once on pareto start`, () => {
  it('all complete, release their sockets, and leave no live memory behind; a page answers after', async () => {
    // Route modules loaded, and whatever a first request opens, before the fd baseline is taken.
    expect((await request(server.url + '/')).status).toBe(200)
    expectStreamed([await fetchTimed(server.url + '/hold', { connection: 'close' })])
    const fds = await settledFds()

    expectStreamed(await holdAll())
    await waitFor(() => openFds() <= fds, `the fd count back at ${fds} after the first batch`, 5000)
    const first = await memoryAfterGc()

    expectStreamed(await holdAll())
    await waitFor(() => openFds() <= fds, `the fd count back at ${fds} after the second batch`, 5000)
    const second = await memoryAfterGc()

    // Measured: live memory moves by < 0.3 MB between batches; 4 MB is 20 KB kept per stream.
    expect(second.live - first.live).toBeLessThan(4 * 1024 * 1024)
    // RSS still grows after the first batch as V8 sizes its heap (~12 MB measured): only runaway growth fails.
    expect(second.rss).toBeLessThan(first.rss * 1.5)

    const page = await request(server.url + '/')
    expect(page.status).toBe(200)
    expect(page.body).toContain('<div id="chart">3,1,4,1,5</div>')
  })
})
