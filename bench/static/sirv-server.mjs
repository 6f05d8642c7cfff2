// The floor of the static scenario: the HTML files `pareto build` wrote, served by sirv alone on node:http
// (what a minimal static file server does per request; no security headers, no compression step, no app).
//   node static/sirv-server.mjs --port N --dir <outDir>/static
import http from 'node:http'
import sirv from 'sirv'

const arg = (name) => process.argv[process.argv.indexOf(name) + 1]
const serve = sirv(arg('--dir'), { etag: true, dev: false })
http
  .createServer((req, res) =>
    serve(req, res, () => {
      res.statusCode = 404
      res.end('not found')
    }),
  )
  .listen(Number(arg('--port')), '127.0.0.1')
