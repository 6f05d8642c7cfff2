// Many open streams: N requests of the hold page (one value deferred 2 s) opened at once on a fresh server,
// with the server's RSS and open file descriptors sampled from /proc while they are open and after.
import fs from 'node:fs'
import http from 'node:http'
import { descendants, treeRss, sleep } from './proc.mjs'

// The trailing < keeps the inline JSON copy of the value from matching: the rendered list must have arrived.
export const HOLD = { path: '/hold', marker: 'Item number 8049<', delayMs: 2000 }
// Requests of the warm-up batch, the wait after the last response before RSS and fds are read again, the sampling.
export const MANY = { warmup: 10, afterMs: 5000, sampleMs: 20 }

const tree = (pid) => [pid, ...descendants(pid)]

/** Open file descriptors of pid + live children (entries of /proc/<pid>/fd), or null once it is gone. */
export function fdCount(pid) {
  let n = null
  for (const p of tree(pid)) {
    try { n = (n ?? 0) + fs.readdirSync(`/proc/${p}/fd`).length } catch {}
  }
  return n
}

/** Of those, the sockets (listening socket included). */
export function socketCount(pid) {
  let n = 0
  for (const p of tree(pid)) {
    let fds = []
    try { fds = fs.readdirSync(`/proc/${p}/fd`) } catch { continue }
    for (const fd of fds) {
      try { if (fs.readlinkSync(`/proc/${p}/fd/${fd}`).startsWith('socket:')) n++ } catch {}
    }
  }
  return n
}

/** The kernel's peak RSS (VmHWM) of pid itself, bytes; resettable, so a check on the 20 ms sampling. */
function vmHwm(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) * 1024 : null
  } catch { return null }
}
function resetHwm(pid) {
  // "5" resets VmHWM to the current RSS (proc(5), clear_refs); a kernel without it leaves the peak since start.
  try { fs.writeFileSync(`/proc/${pid}/clear_refs`, '5'); return true } catch { return false }
}

const now = () => Number(process.hrtime.bigint()) / 1e6

/** TcpExt ListenOverflows (connections dropped for a full accept queue; the client retries ~1 s later), or null. */
function listenOverflows() {
  try {
    const lines = fs.readFileSync('/proc/net/netstat', 'utf8').split('\n').filter((l) => l.startsWith('TcpExt:'))
    const i = lines[0].split(/\s+/).indexOf('ListenOverflows')
    return i > 0 ? Number(lines[1].split(/\s+/)[i]) : null
  } catch { return null }
}

/** One GET on its own connection; never rejects: status, first body byte, marker arrival, end, or the error. */
function holdGet(url, agent, timeoutMs) {
  return new Promise((resolve) => {
    const t0 = now()
    let ttfb = null
    let markerAt = null
    let tail = ''
    let status = null
    const done = (extra) => resolve({ status, ttfb, markerAt, total: now() - t0, ...extra })
    const req = http.get(url, { agent }, (res) => {
      status = res.statusCode
      res.setEncoding('utf8')
      res.on('data', (chunk) => {
        const t = now() - t0
        if (ttfb === null) ttfb = t
        if (markerAt !== null) return
        tail += chunk
        if (tail.includes(HOLD.marker)) markerAt = t
        else if (tail.length > 4 * HOLD.marker.length) tail = tail.slice(-HOLD.marker.length)
      })
      res.on('end', () => done({ complete: res.complete }))
      res.on('error', (e) => done({ error: e.code || e.message }))
      // A connection cut mid-body may end with neither 'end' nor 'error'; the first of the three wins.
      res.on('close', () => done({ complete: res.complete, error: res.complete ? undefined : 'closed mid-body' }))
    })
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)))
    req.on('error', (e) => done({ error: e.code || e.message }))
  })
}

/** n GETs of url started in one synchronous loop, each on a fresh connection (Connection: close). */
async function batch(url, n, timeoutMs) {
  // keepAlive false with maxSockets Infinity: no pool, no queue, every request its own socket, closed after.
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity })
  const ps = []
  for (let i = 0; i < n; i++) ps.push(holdGet(url, agent, timeoutMs))
  const out = await Promise.all(ps)
  agent.destroy()
  return out
}

export function percentile(xs, p) {
  const a = xs.filter((x) => x != null && Number.isFinite(x)).sort((x, y) => x - y)
  if (!a.length) return null
  return a[Math.min(a.length - 1, Math.max(0, Math.ceil((p / 100) * a.length) - 1))]
}

/**
 * On a fresh server `pid` at `baseUrl`: a warm-up batch (loads the route; ours' shell budget learns the value is
 * slow), then `streams` requests at once. RSS and fd count are sampled every `sampleMs` from before the first
 * connection until the last response ends; before, peak, and `afterMs` after.
 */
export async function measureManyStreams(pid, baseUrl, { streams, warmup = MANY.warmup, afterMs = MANY.afterMs, sampleMs = MANY.sampleMs, timeoutMs = 60_000 }) {
  const url = baseUrl + HOLD.path
  const warm = await batch(url, warmup, timeoutMs)
  const warmFailed = warm.filter((r) => r.status !== 200 || r.markerAt == null).length
  await sleep(1000)
  const before = { rss: treeRss(pid), fds: fdCount(pid), sockets: socketCount(pid) }
  const hwmReset = resetHwm(pid)
  let peakRss = before.rss
  let peakFds = before.fds ?? 0
  let samples = 0
  const sample = () => {
    const rss = treeRss(pid)
    if (rss > peakRss) peakRss = rss
    const fds = fdCount(pid)
    if (fds != null && fds > peakFds) peakFds = fds
    samples++
  }
  const timer = setInterval(sample, sampleMs)
  const overflows0 = listenOverflows()
  const t0 = now()
  const rs = await batch(url, streams, timeoutMs)
  const wallMs = now() - t0
  const overflows1 = listenOverflows()
  clearInterval(timer)
  sample()
  const hwm = vmHwm(pid)
  await sleep(afterMs)
  const after = { rss: treeRss(pid), fds: fdCount(pid), sockets: socketCount(pid) }

  const ok = rs.filter((r) => r.status === 200 && r.complete && r.markerAt != null)
  const errors = {}
  for (const r of rs) {
    const why = r.error ?? (r.status !== 200 ? `HTTP ${r.status}` : !r.complete ? 'incomplete body' : r.markerAt == null ? 'no deferred value' : null)
    if (why) errors[why] = (errors[why] ?? 0) + 1
  }
  return {
    streams,
    completed: ok.length,
    // The value in a later chunk than the first byte: the shell was streamed ahead of it, not held back.
    valueAfterShell: ok.filter((r) => r.markerAt > r.ttfb).length,
    errors,
    warmFailed,
    ttfbP50: percentile(rs.map((r) => r.ttfb), 50),
    ttfbP99: percentile(rs.map((r) => r.ttfb), 99),
    valueP50: percentile(ok.map((r) => r.markerAt), 50),
    valueP99: percentile(ok.map((r) => r.markerAt), 99),
    wallMs,
    // Counted for the whole network namespace, so another process's drops would show too (none on a quiet machine).
    listenOverflows: overflows0 != null && overflows1 != null ? overflows1 - overflows0 : null,
    rssBefore: before.rss,
    rssPeak: peakRss,
    // Only when the reset worked is it the peak of this batch rather than of the process's life.
    rssHwm: hwmReset ? hwm : null,
    rssAfter: after.rss,
    afterMs,
    fdsBefore: before.fds,
    fdsPeak: peakFds,
    fdsAfter: after.fds,
    socketsBefore: before.sockets,
    socketsAfter: after.sockets,
    samples,
  }
}
