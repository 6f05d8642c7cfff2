import { describe, expect, it } from 'vitest'
import type { ServerResponse } from 'node:http'
import { DocumentWriter } from '../src/server/stream-writer.js'

/** A response that records what would leave in one syscall: as Node does, writes in one turn go out together. */
function fakeResponse() {
  const sent: string[] = []
  let batch = ''
  let queued = false
  const flushBatch = () => {
    queued = false
    if (batch) sent.push(batch)
    batch = ''
  }
  const res = {
    writableEnded: false,
    destroyed: false,
    write(chunk: string | Uint8Array) {
      batch += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString()
      if (!queued) {
        queued = true
        process.nextTick(flushBatch)
      }
      return true
    },
    end(chunk?: string | Uint8Array) {
      if (chunk) batch += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString()
      res.writableEnded = true
      if (!queued) flushBatch()
    },
  }
  return { res: res as unknown as ServerResponse, sent }
}

const bytes = (s: string) => new TextEncoder().encode(s)
const tick = () => new Promise((r) => setImmediate(r))
const script = (args: string) => `<script>${args}</script>`

/** React's shell: written, flushed, piped, and out after a turn. */
async function sendShell(w: DocumentWriter, html: string): Promise<void> {
  w.write(bytes(html))
  w.flush()
  w.started()
  await tick()
}

/** React's last flush (a boundary and the end), with the data finished too. */
function lastFlush(w: DocumentWriter, html: string): void {
  w.write(bytes(html))
  w.flush()
  w.end()
  w.dataFinished()
}

describe('DocumentWriter', () => {
  it("sends a frame with React's next flush, and the end with the last flush: shell, then one write", async () => {
    const { res, sent } = fakeResponse()
    let ended = false
    const w = new DocumentWriter(res, () => (ended = true), script)
    await sendShell(w, '<html><body>shell')
    expect(sent).toEqual(['<html><body>shell'])
    // A promise settles: its frame arrives first, then React's boundary, flush and end in the same turn.
    w.frame('frame')
    lastFlush(w, '<div>boundary</div></body></html>')
    await tick()
    expect(sent).toEqual(['<html><body>shell', '<script>frame</script><div>boundary</div></body></html>'])
    expect(ended).toBe(true)
  })

  it('waits for the boundary React renders in an immediate queued after the frame, and shares its syscall', async () => {
    const { res, sent } = fakeResponse()
    const w = new DocumentWriter(res, () => {}, script)
    await sendShell(w, '<html><body>shell')
    // The order of a real settle: the encoder's reaction runs first (registered before React's), then
    // React's ping queues the immediate that renders the boundary.
    w.frame('frame')
    setImmediate(() => lastFlush(w, '<div>boundary</div></body></html>'))
    await tick()
    await tick()
    expect(sent).toEqual(['<html><body>shell', '<script>frame</script><div>boundary</div></body></html>'])
  })

  it('a frame that no flush takes along goes out on its own, before </body></html>', async () => {
    const { res, sent } = fakeResponse()
    const w = new DocumentWriter(res, () => {}, script)
    w.write(bytes('shell</body></html>'))
    w.flush()
    w.end()
    w.started()
    await tick()
    expect(sent).toEqual(['shell'])
    w.frame('late')
    await tick()
    await tick()
    expect(sent).toEqual(['shell', '<script>late</script>'])
    w.dataFinished()
    expect(sent).toEqual(['shell', '<script>late</script>', '</body></html>'])
  })

  it('frames queued together leave as one script: the last frame and the end of the data', async () => {
    const { res, sent } = fakeResponse()
    const w = new DocumentWriter(res, () => {}, script)
    await sendShell(w, '<html><body>shell')
    w.frame('last')
    w.frame('null')
    lastFlush(w, '<div>boundary</div></body></html>')
    await tick()
    expect(sent).toEqual(['<html><body>shell', '<script>last,null</script><div>boundary</div></body></html>'])
  })

  it('frames queued before the shell join it', async () => {
    const { res, sent } = fakeResponse()
    const w = new DocumentWriter(res, () => {}, script)
    w.frame('early')
    w.write(bytes('shell'))
    w.flush()
    w.started()
    await tick()
    expect(sent).toEqual(['shell<script>early</script>'])
  })
})
