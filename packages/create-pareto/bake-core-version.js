// Run by npm around `npm pack`/`npm publish`: the published package has no ../core to read the version from.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'

const out = new URL('./core-version.json', import.meta.url)

if (process.argv.includes('--clean')) {
  rmSync(out, { force: true })
} else {
  const core = new URL('../core/package.json', import.meta.url)
  if (!existsSync(core)) {
    throw new Error(
      'packages/core/package.json is missing: pack create-pareto from a checkout of the whole repository.',
    )
  }
  const { version } = JSON.parse(readFileSync(core, 'utf8'))
  writeFileSync(out, JSON.stringify({ version }, null, 2) + '\n')
}
