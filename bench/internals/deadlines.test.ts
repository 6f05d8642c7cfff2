import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { armStreamTimeout, RequestCancel } from '../../packages/core/src/server/cancel.js'

describe('DeadlineList memory', () => {
  it('a disarmed deadline leaves nothing behind until its time', () => {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    const cancel = new RequestCancel()
    gc()
    const before = process.memoryUsage().heapUsed
    // Armed and disarmed as responses come and go, long before the (never reached) deadline.
    for (let i = 0; i < 100_000; i++) armStreamTimeout(cancel, 3_600_000).disarm()
    gc()
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(1 << 20)
  })
})
