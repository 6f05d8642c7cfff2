import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { CLI, FIXTURE } from './paths.js'

/** Builds the fixture app once with the built CLI, as a user would with `pareto build`. */
export default function setup(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build the core package first (npm run build).`)
  execFileSync(process.execPath, [CLI, 'build'], { cwd: FIXTURE, stdio: 'pipe' })
}
