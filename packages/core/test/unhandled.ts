/** Runs `run`, waits `ms` for Node to report rejections nobody handled, and returns those it reported. */
export async function unhandledDuring(run: () => unknown, ms: number): Promise<unknown[]> {
  const unhandled: unknown[] = []
  const on = (reason: unknown) => unhandled.push(reason)
  process.on('unhandledRejection', on)
  try {
    await run()
    await new Promise((r) => setTimeout(r, ms))
    return unhandled
  } finally {
    process.off('unhandledRejection', on)
  }
}
