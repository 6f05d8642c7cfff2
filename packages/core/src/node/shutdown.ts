import { Server as NetServer } from 'node:net'
import type { Socket } from 'node:net'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'

interface Connection {
  /** Requests read on this connection whose response has not closed yet. */
  open: Set<ServerResponse>
  /** `socket.bytesRead` when the last response closed: more means a new request has started arriving. */
  bytesAtIdle: number
}

/** How a drain ended: every connection closed by itself, or the rest were closed at the deadline. */
export interface DrainResult {
  /** Connections carrying a request (or part of one) at the deadline, destroyed then. */
  cut: number
  /** Idle keep-alive connections the client never used again, closed at the deadline. */
  idle: number
}

/** A server whose connections are tracked, so that it can stop without losing a request a client has sent. */
export interface Drainable {
  /** Whether `drain()` has been called. */
  readonly draining: boolean
  /**
   * Stops accepting connections and answers every request that is open or still arrives with `Connection: close`,
   * so each connection ends after its next response; resolves when all are closed, or after `deadlineMs`, when
   * the rest (idle keep-alive connections included) are destroyed.
   */
  drain(deadlineMs: number): Promise<DrainResult>
}

/** Tracks the connections of `server` (call before it listens) for a graceful `drain()`. */
export function drainable(server: Server): Drainable {
  const connections = new Map<Socket, Connection>()
  let draining = false
  let drained: Promise<DrainResult> | undefined

  server.on('connection', (socket: Socket) => {
    connections.set(socket, { open: new Set(), bytesAtIdle: 0 })
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
      if (conn.open.size === 0) conn.bytesAtIdle = socket.bytesRead
    })
  })

  const drain = (deadlineMs: number): Promise<DrainResult> => {
    if (drained) return drained
    draining = true
    drained = new Promise<DrainResult>((resolve) => {
      // net's close, not http's: http's destroys idle keep-alive sockets at once, racing a request sent on one.
      NetServer.prototype.close.call(server, () => {
        clearTimeout(deadline)
        resolve({ cut: 0, idle: 0 })
      })
      for (const conn of connections.values()) {
        for (const res of conn.open) if (!res.headersSent) res.setHeader('connection', 'close')
      }
      // Idle connections stay open until here: closing one races a request the client may be sending on it.
      const deadline = setTimeout(() => {
        const all = connections.size
        let cut = 0
        for (const [socket, conn] of connections) {
          if (conn.open.size > 0 || socket.bytesRead !== conn.bytesAtIdle) cut++
          socket.destroy()
        }
        resolve({ cut, idle: all - cut })
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
