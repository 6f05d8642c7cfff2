import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FIXTURE } from '../helpers/paths.js'
import { startServer } from '../helpers/server.js'
import type { RunningServer } from '../helpers/server.js'

let server: RunningServer
beforeAll(async () => {
  server = await startServer(FIXTURE, 'start', { nodeArgs: ['--expose-gc'] })
})
afterAll(() => server?.stop())

interface Snapshot {
  resources: string[]
  heapUsed: number
  gc: boolean
}

async function snapshot(): Promise<Snapshot> {
  const res = await fetch(server.url + '/api/debug', { headers: { connection: 'close' } })
  return (await res.json()) as Snapshot
}

// An Immediate lives for one turn of the event loop (React schedules work with them); it cannot leak.
function count(list: string[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const r of list) if (r !== 'Immediate') out[r] = (out[r] ?? 0) + 1
  return out
}

/** One request to the never-settling page: aborted after the first chunk, or read to its (timed-out) end. */
function hit(abort: boolean, agent: http.Agent): Promise<void> {
  return new Promise((resolve) => {
    const req = http.get(server.url + '/never', { agent }, (res) => {
      if (abort) res.once('data', () => req.destroy())
      else res.resume()
      res.on('end', resolve)
      res.on('close', resolve)
    })
    req.on('error', () => resolve())
  })
}

describe('1,000 requests to a page whose promise never settles, half aborted by the client', () => {
  it('leaves no timers, sockets or heap behind', async () => {
    // Warm up the code paths (JIT, module caches) so the baseline is honest.
    const warm = new http.Agent({ keepAlive: false, maxSockets: 50 })
    await Promise.all(Array.from({ length: 20 }, (_, i) => hit(i % 2 === 0, warm)))
    await new Promise((r) => setTimeout(r, 2000))
    const before = await snapshot()
    expect(before.gc).toBe(true)

    const agent = new http.Agent({ keepAlive: false, maxSockets: 100 })
    const started = Date.now()
    await Promise.all(Array.from({ length: 1000 }, (_, i) => hit(i % 2 === 0, agent)))
    agent.destroy()
    // Every stream timeout (1.5 s in the fixture) and grace timer has fired by now.
    await new Promise((r) => setTimeout(r, 3000))
    const after = await snapshot()

    // Tolerance: the same kinds and counts of active resources (timers, sockets) as before the load,
    // and heap within 8 MB of the baseline (1,000 leaked responses would hold far more).
    expect(count(after.resources)).toEqual(count(before.resources))
    expect(after.heapUsed - before.heapUsed).toBeLessThan(8 * 1024 * 1024)
    // Only the requests read to their end may log their timeout; an aborted request logs nothing.
    const logged = server
      .output()
      .split('\n')
      .filter((l) => l.startsWith('[pareto] deferred data'))
    expect(logged.length).toBeGreaterThanOrEqual(500)
    expect(logged.length).toBeLessThanOrEqual(510)
    expect(server.output()).not.toMatch(/unhandled|uncaught|TypeError|ERR_/i)
    expect(Date.now() - started).toBeLessThan(60_000)
  }, 120_000)
})
