// Process helpers: spawn/stop servers, CPU ticks and RSS from /proc.
import fs from 'node:fs'
import net from 'node:net'
import http from 'node:http'
import { spawn, execFileSync } from 'node:child_process'

export const CLK_TCK = (() => {
  try { return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100 } catch { return 100 }
})()

/** utime+stime (fields 14, 15 of /proc/<pid>/stat) in clock ticks, or null. */
export function cpuTicksOf(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    // field 2 (comm) may contain spaces/parens: split after the last ')'
    const rest = s.slice(s.lastIndexOf(')') + 2).split(' ')
    // rest[0] is field 3 (state) => field N is rest[N - 3]
    return Number(rest[14 - 3]) + Number(rest[15 - 3])
  } catch { return null }
}

/** Live descendants of pid (via /proc/<pid>/task/<tid>/children). */
export function descendants(pid) {
  const out = []
  const walk = (p) => {
    let tids = []
    try { tids = fs.readdirSync(`/proc/${p}/task`) } catch { return }
    for (const t of tids) {
      let kids = ''
      try { kids = fs.readFileSync(`/proc/${p}/task/${t}/children`, 'utf8') } catch {}
      for (const k of kids.trim().split(/\s+/).filter(Boolean)) { out.push(Number(k)); walk(Number(k)) }
    }
  }
  walk(pid)
  return out
}

/** CPU ticks of the server process plus any live children (a framework may fork workers). */
export function treeCpuTicks(pid) {
  let total = cpuTicksOf(pid) ?? 0
  for (const d of descendants(pid)) total += cpuTicksOf(d) ?? 0
  return total
}

/** RSS in bytes of pid + live children. */
export function treeRss(pid) {
  const rss = (p) => {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'))
      return m ? Number(m[1]) * 1024 : 0
    } catch { return 0 }
  }
  let total = rss(pid)
  for (const d of descendants(pid)) total += rss(d)
  return total
}

export function exeOf(pid) {
  try { return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean) } catch { return [] }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.unref()
    s.on('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** Every child process we start, so we can kill them on exit/SIGINT. */
const live = new Set()

function killTree(child, signal) {
  const pids = [...descendants(child.pid).reverse(), child.pid]
  for (const p of pids) { try { process.kill(p, signal) } catch {} }
}

export function killAllSync() {
  for (const c of live) killTree(c, 'SIGKILL')
  live.clear()
}

let hooked = false
function hookExit() {
  if (hooked) return
  hooked = true
  process.on('exit', killAllSync)
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => { killAllSync(); process.exit(130) })
  }
  process.on('uncaughtException', (e) => { console.error(e); killAllSync(); process.exit(1) })
  process.on('unhandledRejection', (e) => { console.error(e); killAllSync(); process.exit(1) })
}

/**
 * Spawn a command (no shell), capturing output into a bounded buffer.
 * Returns { child, output(), exited: Promise<{code, signal}> }.
 */
export function spawnTracked(cmd, args, opts = {}) {
  hookExit()
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts })
  live.add(child)
  let buf = ''
  const add = (d) => { buf += d; if (buf.length > 200_000) buf = buf.slice(-100_000) }
  child.stdout.on('data', add)
  child.stderr.on('data', add)
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => { live.delete(child); resolve({ code, signal }) }))
  child.on('error', (e) => add(`\n[spawn error] ${e.message}\n`))
  return { child, output: () => buf, exited }
}

/** Run a command to completion with a time limit; resolves {code, output}. */
export async function runCmd(cmd, args, opts = {}, timeoutMs = 300_000) {
  const t = spawnTracked(cmd, args, opts)
  let timer
  const timeout = new Promise((r) => { timer = setTimeout(() => { killTree(t.child, 'SIGKILL'); r({ code: null, signal: 'timeout' }) }, timeoutMs) })
  const res = await Promise.race([t.exited, timeout])
  clearTimeout(timer)
  return { code: res.code, signal: res.signal, timedOut: res.signal === 'timeout', output: t.output() }
}

export async function stopProcess(t, graceMs = 2000) {
  if (t.child.exitCode !== null || t.child.signalCode !== null) return
  killTree(t.child, 'SIGTERM')
  const done = await Promise.race([t.exited.then(() => true), sleep(graceMs).then(() => false)])
  if (!done) { killTree(t.child, 'SIGKILL'); await Promise.race([t.exited, sleep(2000)]) }
}

/** One request (GET unless `method` says otherwise, with `body` if given); resolves {status, body, headers} or rejects. */
export function httpRequest(url, { timeoutMs = 10_000, headers = {}, method = 'GET', body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)))
    req.on('error', reject)
    req.end(body)
  })
}

/** GET url once; resolves {status, body, headers} or rejects. */
export function httpGet(url, { timeoutMs = 10_000, headers = {} } = {}) {
  return httpRequest(url, { timeoutMs, headers })
}

/** Poll until GET url answers (any status) or the process dies / time runs out. */
export async function waitForHttp(url, t, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs
  let lastErr
  while (Date.now() < deadline) {
    if (t.child.exitCode !== null || t.child.signalCode !== null) {
      throw new Error(`server exited (code ${t.child.exitCode}, signal ${t.child.signalCode}) before answering`)
    }
    try { await httpGet(url, { timeoutMs: 2000 }); return } catch (e) { lastErr = e }
    await sleep(100)
  }
  throw new Error(`server did not answer ${url} within ${timeoutMs} ms (${lastErr?.message})`)
}
