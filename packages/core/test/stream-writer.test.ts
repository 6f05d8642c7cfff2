import { describe, expect, it } from 'vitest'
import type { ServerResponse } from 'node:http'
import { DocumentWriter } from '../src/server/stream-writer.js'

/** A response that records what would leave in one syscall: writes while corked go out together. */
function fakeResponse() {
  const sent: string[] = []
  let corked = 0
  let batch = ''
  const flushBatch = () => {
    if (batch) sent.push(batch)
    batch = ''
  }
  const res = {
    writableEnded: false,
    destroyed: false,
    cork: () => void corked++,
    uncork: () => {
      if (corked > 0 && --corked === 0) flushBatch()
    },
    write(chunk: string | Uint8Array) {
      batch += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString()
      if (!corked) flushBatch()
      return true
    },
    end(chunk?: string | Uint8Array) {
      if (chunk) batch += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString()
      corked = 0
      flushBatch()
      res.writableEnded = true
    },
  }
  return { res: res as unknown as ServerResponse, sent }
}

const bytes = (s: string) => new TextEncoder().encode(s)
const tick = () => new Promise((r) => setImmediate(r))

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
  it('sends a frame with React\'s next flush, and the end with the last flush: shell, then one write', async () => {
    const { res, sent } = fakeResponse()
    let ended = false
    const w = new DocumentWriter(res, () => (ended = true))
    await sendShell(w, '<html><body>shell')
    expect(sent).toEqual(['<html><body>shell'])
    // A promise settles: its frame arrives first, then React's boundary, flush and end in the same turn.
    w.script('<script>frame</script>')
    lastFlush(w, '<div>boundary</div></body></html>')
    await tick()
    expect(sent).toEqual(['<html><body>shell', '<script>frame</script><div>boundary</div></body></html>'])
    expect(ended).toBe(true)
  })

  it('waits for the boundary React renders in an immediate queued after the frame, and shares its syscall', async () => {
    const { res, sent } = fakeResponse()
    const w = new DocumentWriter(res, () => {})
    await sendShell(w, '<html><body>shell')
    // The order of a real settle: the encoder's reaction runs first (registered before React's), then
    // React's ping queues the immediate that renders the boundary.
    w.script('<script>frame</script>')
    setImmediate(() => lastFlush(w, '<div>boundary</div></body></html>'))
    await tick()
    await tick()
    expect(sent).toEqual(['<html><body>shell', '<script>frame</script><div>boundary</div></body></html>'])
  })

  it('a frame that no flush takes along goes out on its own, before </body></html>', async () => {
    const { res, sent } = fakeResponse()
    const w = new DocumentWriter(res, () => {})
    w.write(bytes('shell</body></html>'))
    w.flush()
    w.end()
    w.started()
    await tick()
    expect(sent).toEqual(['shell'])
    w.script('<script>late</script>')
    await tick()
    await tick()
    expect(sent).toEqual(['shell', '<script>late</script>'])
    w.dataFinished()
    expect(sent).toEqual(['shell', '<script>late</script>', '</body></html>'])
  })

  it('frames queued before the shell join it', async () => {
    const { res, sent } = fakeResponse()
    const w = new DocumentWriter(res, () => {})
    w.script('<script>early</script>')
    w.write(bytes('shell'))
    w.flush()
    w.started()
    await tick()
    expect(sent).toEqual(['shell<script>early</script>'])
  })
})
