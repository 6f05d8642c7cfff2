import cluster from 'node:cluster'
import type { Worker } from 'node:cluster'
import type { AddressInfo } from 'node:net'
import { availableParallelism } from 'node:os'

/**
 * Young-generation size (V8 semi-space, in MB) the primary gives every worker unless NODE_OPTIONS or Node's own
 * flags already set one. Measured against 16 and 64 on the bench (bench/RESULTS.md, "Young-generation size for
 * workers"); re-measure there before changing it.
 */
export const WORKER_SEMI_SPACE_MB = 32

/** A worker that dies sooner than this after it started counts as a quick death; quick deaths in a row back off. */
export const WORKER_STABLE_MS = 10_000

/** The wait before the second quick death in a row is replaced; it doubles with each one after. */
export const RESTART_BACKOFF_MS = 1000

/** The longest wait before a dead worker is replaced. */
export const MAX_RESTART_BACKOFF_MS = 30_000

/** How much longer than its own shutdown deadline the primary lets a stopping worker run before killing it. */
const KILL_MARGIN_MS = 5000

/** Used for the kill deadline until a worker reports its own (the default stream timeout plus the grace period). */
const FALLBACK_SHUTDOWN_MS = 8000

/** What the `workers` option takes: a number of processes, or `'auto'` for one per CPU core. */
export type WorkerCount = number | 'auto'

/** The number of processes `value` asks for (`'auto'`: `os.availableParallelism()`), or undefined when it is not valid. */
export function workerCount(value: unknown): number | undefined {
  if (value === 'auto') return availableParallelism()
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 ? n : undefined
}

/** Node flags for the workers: `execArgv`, plus the semi-space size unless it or NODE_OPTIONS already sets one. */
export function workerExecArgv(execArgv: readonly string[], nodeOptions = ''): string[] {
  const setsSemiSpace = (text: string) => /--max[-_]semi[-_]space[-_]size\b/.test(text)
  if (execArgv.some(setsSemiSpace) || setsSemiSpace(nodeOptions)) return [...execArgv]
  return [...execArgv, `--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`]
}

/** Milliseconds to wait before replacing a worker that died `quickDeaths` times in a row soon after starting. */
export function restartDelay(quickDeaths: number): number {
  if (quickDeaths <= 1) return 0
  return Math.min(MAX_RESTART_BACKOFF_MS, RESTART_BACKOFF_MS * 2 ** (quickDeaths - 2))
}

/** What a worker tells its primary once it listens: how long its shutdown may take. */
interface ReadyMessage {
  pareto: 'ready'
  shutdownTimeout: number
}

function isReady(value: unknown): value is ReadyMessage {
  return typeof value === 'object' && value !== null && (value as { pareto?: unknown }).pareto === 'ready'
}

/** In a worker: `worker <pid>: `, for log lines; in any other process, nothing. */
export function workerLabel(): string {
  return cluster.isWorker ? `worker pid ${process.pid}: ` : ''
}

/** In a worker (a no-op elsewhere): tells the primary how long this worker's shutdown may take. */
export function reportToPrimary(shutdownTimeout: number): void {
  if (cluster.isWorker && process.send) process.send({ pareto: 'ready', shutdownTimeout } satisfies ReadyMessage)
}

/** The primary of a server with workers: what `startProductionServer` resolves to in the primary process. */
export interface WorkerPool {
  /** The address every worker listens on. */
  address(): AddressInfo
  /** Process ids of the workers running now, in slot order. */
  pids(): number[]
  /**
   * Asks every worker to stop gracefully (each finishes its open requests); resolves once all have exited, with
   * false if one had to be killed because it overran its shutdown deadline.
   */
  stop(): Promise<boolean>
}

interface Slot {
  /** 1-based, stable across replacements, for log lines. */
  index: number
  worker?: Worker
  startedAt: number
  listening: boolean
  quickDeaths: number
  shutdownTimeout?: number
  restart?: NodeJS.Timeout
}

function describeExit(code: number | null, signal: string | null): string {
  return signal ? `signal ${signal}` : `exit code ${code}`
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`
}

/**
 * Forks `workers` processes that run this script again (their `startProductionServer` starts the server) and share
 * its port; resolves once every one is listening, or rejects if one exits before it listens. Installs SIGTERM and
 * SIGINT handlers that stop the workers gracefully and exit.
 */
export function startPrimary(workers: number): Promise<WorkerPool> {
  cluster.setupPrimary({
    execArgv: workerExecArgv(cluster.settings.execArgv ?? process.execArgv, process.env.NODE_OPTIONS),
  })
  const slots: Slot[] = Array.from({ length: workers }, (_, i) => ({
    index: i + 1,
    startedAt: 0,
    listening: false,
    quickDeaths: 0,
  }))
  let address: AddressInfo | undefined
  let started = false
  let stopping: Promise<boolean> | undefined
  let onStopped: (() => void) | undefined
  let killed = false

  return new Promise<WorkerPool>((resolveStart, rejectStart) => {
    const pool: WorkerPool = {
      address: () => address!,
      pids: () => slots.flatMap((s) => (s.worker?.process.pid ? [s.worker.process.pid] : [])),
      stop,
    }

    function fork(slot: Slot): void {
      slot.restart = undefined
      slot.listening = false
      slot.startedAt = performance.now()
      const worker = cluster.fork()
      slot.worker = worker
      worker.on('message', (message: unknown) => {
        if (isReady(message)) slot.shutdownTimeout = message.shutdownTimeout
      })
      worker.once('listening', (addr: AddressInfo) => {
        slot.listening = true
        address ??= addr
        if (started) {
          console.log(`[pareto] worker ${slot.index} is back (pid ${worker.process.pid})`)
        } else if (slots.every((s) => s.listening)) {
          started = true
          resolveStart(pool)
        }
      })
      worker.once('exit', (code: number | null, signal: string | null) => exited(slot, worker, code, signal))
    }

    function exited(slot: Slot, worker: Worker, code: number | null, signal: string | null): void {
      if (slot.worker !== worker) return
      slot.worker = undefined
      const how = describeExit(code, signal)
      if (stopping) {
        if (code !== 0) console.warn(`[pareto] worker ${slot.index} (pid ${worker.process.pid}) ended with ${how}`)
        if (slots.every((s) => !s.worker)) onStopped?.()
        return
      }
      if (!started) {
        void stop().then(() =>
          rejectStart(
            new Error(
              `Worker ${slot.index} exited with ${how} before it was listening; its error is printed above. ` +
                'Fix that error and start again (without --workers, the same error shows in a single process).',
            ),
          ),
        )
        return
      }
      const lived = performance.now() - slot.startedAt
      slot.quickDeaths = lived < WORKER_STABLE_MS ? slot.quickDeaths + 1 : 0
      const delay = restartDelay(slot.quickDeaths)
      const streak =
        slot.quickDeaths > 1
          ? ` (it died within ${seconds(WORKER_STABLE_MS)} of starting ${slot.quickDeaths} times in a row)`
          : ''
      console.error(
        `[pareto] worker ${slot.index} (pid ${worker.process.pid}) died with ${how} after ${seconds(lived)}; ` +
          `starting a new one ${delay ? `in ${seconds(delay)}` : 'now'}${streak}`,
      )
      slot.restart = setTimeout(() => fork(slot), delay)
    }

    function stop(): Promise<boolean> {
      if (stopping) return stopping
      stopping = new Promise<boolean>((resolve) => {
        onStopped = () => resolve(!killed)
        for (const slot of slots) {
          clearTimeout(slot.restart)
          const worker = slot.worker
          if (!worker) continue
          // The worker's own SIGTERM handler drains it, as in a single process; one still loading just exits.
          worker.process.kill('SIGTERM')
          // A worker that overruns its own deadline is stuck (its event loop, most likely): it is killed.
          const limit = (slot.shutdownTimeout ?? FALLBACK_SHUTDOWN_MS) + KILL_MARGIN_MS
          setTimeout(() => {
            if (slot.worker !== worker) return
            killed = true
            console.error(
              `[pareto] worker ${slot.index} (pid ${worker.process.pid}) was still running ${seconds(limit)} after it was asked to stop; killing it`,
            )
            worker.process.kill('SIGKILL')
          }, limit).unref()
        }
        if (slots.every((s) => !s.worker)) onStopped()
      })
      return stopping
    }

    const onSignal = (signal: string) => {
      if (stopping) return
      const running = pool.pids().length
      console.log(`[pareto] ${signal}: stopping ${running} worker(s); each finishes its open requests first`)
      void stop().then((clean) => {
        console.log(clean ? '[pareto] all workers stopped' : '[pareto] workers stopped, one or more killed')
        process.exit(clean ? 0 : 1)
      })
    }
    process.once('SIGTERM', () => onSignal('SIGTERM'))
    process.once('SIGINT', () => onSignal('SIGINT'))

    for (const slot of slots) fork(slot)
  })
}
