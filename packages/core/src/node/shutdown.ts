import { Server as NetServer } from 'node:net'
import type { Socket } from 'node:net'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'

/**
 * How long a keep-alive connection must stay idle during a drain before the server closes it: a request the
 * client sent just before the drain began has that long to arrive and be answered (with `Connection: close`).
 */
export const DRAIN_IDLE_MS = 500

/** How often a drain looks for connections that became idle. */
const DRAIN_CHECK_MS = 100

interface Connection {
  /** Requests read on this connection whose response has not closed yet. */
  open: Set<ServerResponse>
  /** When the last response closed (or the connection opened). */
  idleSince: number
  /** `socket.bytesRead` at that moment: more means a new request has started arriving. */
  bytesAtIdle: number
}

/** How a drain ended: every connection closed by itself, or some were cut at the deadline. */
export interface DrainResult {
  /** Connections still open at the deadline, destroyed then (0 when the drain finished in time). */
  cut: number
}

/** A server whose connections are tracked, so that it can stop without resetting a connection that carries a request. */
export interface Drainable {
  /** Whether `drain()` has been called. */
  readonly draining: boolean
  /**
   * Stops accepting connections, answers every request that is open or still arrives with `Connection: close`,
   * closes keep-alive connections once no request is on them, and resolves when all are closed, or after
   * `deadlineMs`, when the rest are destroyed.
   */
  drain(deadlineMs: number): Promise<DrainResult>
}

/** Tracks the connections of `server` (call before it listens) for a graceful `drain()`. */
export function drainable(server: Server): Drainable {
  const connections = new Map<Socket, Connection>()
  let draining = false
  let drained: Promise<DrainResult> | undefined

  server.on('connection', (socket: Socket) => {
    connections.set(socket, { open: new Set(), idleSince: performance.now(), bytesAtIdle: 0 })
    socket.once('close', () => connections.delete(socket))
  })
  // Prepended, so the header is set before any handler can send the response.
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    // Kept: by the time the response closes, the request may have let go of its socket.
    const socket = req.socket
    const conn = connections.get(socket)
    if (draining && !res.headersSent) res.setHeader('connection', 'close')
    if (!conn) return
    conn.open.add(res)
    res.once('close', () => {
      conn.open.delete(res)
      if (conn.open.size === 0) {
        conn.idleSince = performance.now()
        conn.bytesAtIdle = socket.bytesRead
      }
    })
  })

  const closeIdle = (drainStart: number) => {
    const now = performance.now()
    for (const [socket, conn] of connections) {
      if (conn.open.size > 0 || socket.bytesRead !== conn.bytesAtIdle) continue
      if (now - Math.max(conn.idleSince, drainStart) < DRAIN_IDLE_MS) continue
      socket.destroySoon()
    }
  }

  const drain = (deadlineMs: number): Promise<DrainResult> => {
    if (drained) return drained
    draining = true
    const drainStart = performance.now()
    drained = new Promise<DrainResult>((resolve) => {
      // net's close, not http's: http's destroys idle keep-alive sockets at once, racing a request already sent on one.
      NetServer.prototype.close.call(server, () => {
        clearInterval(check)
        clearTimeout(deadline)
        resolve({ cut: 0 })
      })
      for (const conn of connections.values()) {
        for (const res of conn.open) if (!res.headersSent) res.setHeader('connection', 'close')
      }
      // In the check phase, right after the poll phase has read whatever bytes had arrived.
      const check = setInterval(() => setImmediate(closeIdle, drainStart), DRAIN_CHECK_MS)
      const deadline = setTimeout(() => {
        clearInterval(check)
        const cut = connections.size
        for (const socket of connections.keys()) socket.destroy()
        resolve({ cut })
      }, deadlineMs)
    })
    return drained
  }

  return {
    get draining() {
      return draining
    },
    drain,
  }
}
