// The built fetch.js (or an ablation of it, see variants.mjs) on Node's http server through a Fetch adapter:
//   node fetch/node-server.mjs --adapter node-fetch-server|srvx --out <outDir> --port N [--variant V] [--core DIR]
import http from 'node:http'
import { createRequestListener } from '@remix-run/node-fetch-server'
import { serve } from 'srvx'
import { makeFetch } from './variants.mjs'

const arg = (name, d) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : d)
const port = Number(arg('--port'))
const fetch = await makeFetch(arg('--out'), arg('--variant', 'shipped'), arg('--core'))
if (arg('--adapter') === 'srvx') {
  // srvx's own Node server: a lazy Request over the IncomingMessage, the Response written to the ServerResponse.
  serve({ fetch, port, hostname: '127.0.0.1', silent: true, gracefulShutdown: false })
} else {
  http.createServer(createRequestListener((request) => fetch(request))).listen(port, '127.0.0.1')
}
