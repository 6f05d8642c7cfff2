import { availableParallelism } from 'node:os'
import { describe, expect, it } from 'vitest'
import { startProductionServer } from '../src/node/production.js'
import {
  MAX_RESTART_BACKOFF_MS,
  RESTART_BACKOFF_MS,
  WORKER_SEMI_SPACE_MB,
  restartDelay,
  workerCount,
  workerExecArgv,
} from '../src/node/cluster.js'

describe('startProductionServer options', () => {
  it('names a timeout that is not a number of milliseconds, before looking for a build', async () => {
    await expect(startProductionServer('no-such-dir', { headersTimeout: -1 })).rejects.toThrow(
      /headersTimeout must be a number of milliseconds from 0 up .*got -1/,
    )
    await expect(startProductionServer('no-such-dir', { keepAliveTimeout: '5s' as unknown as number })).rejects.toThrow(
      /keepAliveTimeout must be a number of milliseconds/,
    )
    await expect(startProductionServer('no-such-dir', { shutdownTimeout: Number.NaN })).rejects.toThrow(
      /shutdownTimeout must be a number of milliseconds/,
    )
  })

  it('refuses a headersTimeout longer than the requestTimeout that contains it', async () => {
    await expect(
      startProductionServer('no-such-dir', { headersTimeout: 20_000, requestTimeout: 5000 }),
    ).rejects.toThrow(/headersTimeout \(20000 ms\) is longer than requestTimeout \(5000 ms\)/)
  })

  it('names a bad workers value', async () => {
    for (const workers of [0, -2, 1.5, 'many']) {
      await expect(startProductionServer('no-such-dir', { workers: workers as number })).rejects.toThrow(
        /workers must be a whole number of processes from 1 up, e\.g\. 4, or 'auto'/,
      )
    }
  })

  it('with workers, reports a missing build in the primary instead of forking workers that die', async () => {
    await expect(startProductionServer('no-such-dir', { workers: 2 })).rejects.toThrow(/No build found in no-such-dir/)
  })
})

describe('workers', () => {
  it("reads a count, 'auto' (one per core) or a flag's text", () => {
    expect(workerCount(3)).toBe(3)
    expect(workerCount('4')).toBe(4)
    expect(workerCount('auto')).toBe(availableParallelism())
    for (const bad of [0, '0', -1, 2.5, '2.5', '', ' ', 'two', null, undefined, Number.NaN]) {
      expect(workerCount(bad)).toBeUndefined()
    }
  })

  it('gives workers a larger young generation unless the user set one', () => {
    expect(workerExecArgv([])).toEqual([`--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`])
    expect(workerExecArgv(['--enable-source-maps'])).toEqual([
      '--enable-source-maps',
      `--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`,
    ])
    expect(workerExecArgv(['--max-semi-space-size=8'])).toEqual(['--max-semi-space-size=8'])
    expect(workerExecArgv(['--max_semi_space_size', '8'])).toEqual(['--max_semi_space_size', '8'])
    expect(workerExecArgv([], '--max-old-space-size=2048 --max-semi-space-size=16')).toEqual([])
    expect(workerExecArgv([], '--max-old-space-size=2048')).toEqual([`--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`])
  })

  it('replaces a worker at once unless it keeps dying soon after starting, then backs off exponentially', () => {
    expect(restartDelay(0)).toBe(0)
    expect(restartDelay(1)).toBe(0)
    expect(restartDelay(2)).toBe(RESTART_BACKOFF_MS)
    expect(restartDelay(3)).toBe(2 * RESTART_BACKOFF_MS)
    expect(restartDelay(4)).toBe(4 * RESTART_BACKOFF_MS)
    expect(restartDelay(50)).toBe(MAX_RESTART_BACKOFF_MS)
  })
})
