import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { armDeadline } from '../../packages/core/src/server/deadlines.js'

describe('DeadlineList memory', () => {
  it('a disarmed deadline leaves nothing behind until its time', () => {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    const noop = () => {}
    gc()
    const before = process.memoryUsage().heapUsed
    // Armed and disarmed as responses come and go, long before the (never reached) deadline.
    for (let i = 0; i < 100_000; i++) armDeadline(3_600_000, noop)()
    gc()
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(1 << 20)
  })
})
