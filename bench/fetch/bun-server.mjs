// The built fetch.js (or an ablation, see variants.mjs) on Bun: what `PORT=N bun <outDir>/server/fetch.js` does
// (Bun.serve of its default export), bound to 127.0.0.1, which `bun fetch.js` cannot be told (it binds all interfaces).
//   bun fetch/bun-server.mjs --out <outDir> --port N [--variant V] [--core DIR]
import { makeFetch } from './variants.mjs'

const arg = (name, d) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : d)
const fetch = await makeFetch(arg('--out'), arg('--variant', 'shipped'), arg('--core'))
globalThis.Bun.serve({ fetch, port: Number(arg('--port')), hostname: '127.0.0.1', development: false })
