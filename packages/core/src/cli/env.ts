import { existsSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Loads `.env` files into `process.env` with Vite's precedence (`.env.[mode].local` > `.env.[mode]` >
 * `.env.local` > `.env`; the real environment wins over all). Every value is then readable on the server;
 * only `VITE_`/`PARETO_` ones are exposed to the browser, by Vite.
 */
export function loadDotEnv(root: string, mode: string): void {
  for (const name of [`.env.${mode}.local`, `.env.${mode}`, '.env.local', '.env']) {
    const file = join(root, name)
    // loadEnvFile never overwrites a variable already set, so the first file holding a key wins.
    if (existsSync(file)) process.loadEnvFile(file)
  }
}
