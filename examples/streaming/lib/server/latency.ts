/**
 * ARTIFICIAL DELAY, documented as such: the embedded SQLite answers these queries in about a millisecond,
 * which would leave nothing to stream. `latency()` stands in for the network round trip to a remote
 * database or API, so the example shows the shell first and each section as its data arrives.
 * `EXAMPLE_LATENCY=0` turns it off; `EXAMPLE_LATENCY=2` doubles it.
 *
 * It rejects when `signal` aborts (the client went away or the stream timed out), so no timer outlives
 * its request.
 */
const SCALE = Number(process.env.EXAMPLE_LATENCY ?? 1)

export function latency(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal!.reason)
    }
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      },
      ms * (Number.isFinite(SCALE) ? SCALE : 1),
    )
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
