import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FIXTURE } from '../helpers/paths.js'
import { childrenOf, commandLine, isRunning, spawnServer, waitFor } from '../helpers/process.js'
import type { ServerProcess } from '../helpers/process.js'
import { arrivalOf, fetchTimed, request } from '../helpers/wire.js'

/** The worker pids the primary printed when it started. */
function startedPids(server: ServerProcess): number[] {
  const m = /with 2 workers \(pids (\d+), (\d+)\)/.exec(server.output())
  if (!m) throw new Error(`no worker pids in the output:\n${server.output()}`)
  return [Number(m[1]), Number(m[2])]
}

describe('pareto start --workers 2', () => {
  let server: ServerProcess
  beforeAll(async () => {
    server = await spawnServer(FIXTURE, ['start', '--port', '0', '--workers', '2'])
  })
  afterAll(() => server?.stop())

  it('runs two worker processes under the primary, each with a larger young generation, and serves pages', async () => {
    const pids = startedPids(server)
    expect(childrenOf(server.proc.pid!)).toEqual([...pids].sort((a, b) => a - b))
    for (const pid of pids) expect(commandLine(pid)).toContain('--max-semi-space-size=32')
    for (let i = 0; i < 6; i++) {
      const r = await request(server.url + '/api/items')
      expect(r.status).toBe(200)
    }
    const page = await request(server.url + '/')
    expect(page.status).toBe(200)
    expect(page.body).toContain('<div id="chart">3,1,4,1,5</div>')
  })

  it('replaces a worker that is killed, logging which one died and how; backs off when it keeps dying', async () => {
    const primary = server.proc.pid!
    const [victim, survivor] = startedPids(server)
    process.kill(victim, 'SIGKILL')
    await server.waitForOutput(
      new RegExp(`worker \\d \\(pid ${victim}\\) died with signal SIGKILL after [\\d.]+ s; starting a new one now`),
    )
    const replacement = await waitFor(() => {
      const now = childrenOf(primary)
      const fresh = now.filter((pid) => pid !== survivor)
      return now.length === 2 && now.includes(survivor) && fresh[0] !== victim && fresh[0]
    }, 'a replacement worker')
    await server.waitForOutput(`is back (pid ${replacement})`, 30_000)
    expect((await request(server.url + '/api/items')).status).toBe(200)

    // Dying again within seconds of starting: the next replacement waits.
    process.kill(replacement, 'SIGKILL')
    const killed = performance.now()
    await server.waitForOutput(
      new RegExp(
        `\\(pid ${replacement}\\) died with signal SIGKILL after [\\d.]+ s; starting a new one in 1\\.0 s \\(it died within 10 s of starting 2 times in a row\\)`,
      ),
    )
    const third = await waitFor(
      () => childrenOf(primary).find((pid) => pid !== survivor && pid !== replacement),
      'the next replacement',
    )
    expect(performance.now() - killed).toBeGreaterThan(900)
    await server.waitForOutput(`is back (pid ${third})`, 30_000)
    expect((await request(server.url + '/api/items')).status).toBe(200)
  })

  it('on SIGTERM to the primary, lets a stream in flight finish, stops every worker and exits 0', async () => {
    const primary = server.proc.pid!
    const workers = childrenOf(primary)
    expect(workers).toHaveLength(2)
    const stream = fetchTimed(server.url + '/')
    await new Promise((r) => setTimeout(r, 150))
    server.proc.kill('SIGTERM')
    const r = await stream
    expect(r.status).toBe(200)
    expect(arrivalOf(r, '<div id="chart">3,1,4,1,5</div>')).toBeGreaterThan(150)
    expect(r.body.trimEnd().endsWith('</body></html>')).toBe(true)
    expect(await server.exited).toEqual({ code: 0, signal: null })
    expect(server.output()).toContain('SIGTERM: stopping 2 worker(s)')
    expect(server.output()).toContain('all workers stopped')
    // Each worker answered what it had; only idle keep-alive connections were left for its deadline.
    expect(server.output()).not.toMatch(/still open after \d+ ms were closed/)
    for (const pid of workers) expect(isRunning(pid)).toBe(false)
  })
})

describe('--workers and its errors', () => {
  it('names the flag and what to pass when the value is not a count', async () => {
    for (const bad of ['0', 'two', '1.5']) {
      await expect(spawnServer(FIXTURE, ['start', '--port', '0', '--workers', bad])).rejects.toThrow(
        new RegExp(`Invalid --workers "${bad.replace('.', '\\.')}": use a whole number of processes from 1 up`),
      )
    }
    await expect(spawnServer(FIXTURE, ['dev', '--port', '0', '--workers', '2'])).rejects.toThrow(
      /--workers applies to `pareto start` only/,
    )
  })

  it("leaves the workers' young generation alone when NODE_OPTIONS sets one", async () => {
    const server = await spawnServer(FIXTURE, ['start', '--port', '0', '--workers', '2'], {
      env: { NODE_OPTIONS: '--max-semi-space-size=16' },
    })
    try {
      const pids = startedPids(server)
      for (const pid of pids) expect(commandLine(pid).join(' ')).not.toContain('max-semi-space-size')
      expect((await request(server.url + '/api/items')).status).toBe(200)
    } finally {
      await server.stop()
    }
  })
})
