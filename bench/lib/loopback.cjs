// Preloaded (node --require) into every server the bench starts.
// Forces net/http servers that listen on a bare port (e.g. Express's
// app.listen(PORT), which binds to all interfaces) onto 127.0.0.1, so the
// benchmark never exposes a server beyond loopback. It changes nothing else.
'use strict'
const net = require('node:net')
const orig = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  const a0 = args[0]
  if (typeof a0 === 'number' || (typeof a0 === 'string' && /^\d+$/.test(a0))) {
    // listen(port[, host][, backlog][, cb]) -> force host
    const rest = args.slice(1)
    if (typeof rest[0] === 'string') rest.shift()
    return orig.call(this, Number(a0), '127.0.0.1', ...rest)
  }
  if (a0 && typeof a0 === 'object' && !Array.isArray(a0) && a0.path === undefined && a0.fd === undefined && !(a0 instanceof net.Server) && typeof a0.listen !== 'function') {
    return orig.call(this, { ...a0, host: '127.0.0.1' }, ...args.slice(1))
  }
  if (a0 === undefined || typeof a0 === 'function') {
    return orig.call(this, 0, '127.0.0.1', ...args)
  }
  return orig.apply(this, args)
}
