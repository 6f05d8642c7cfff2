#!/usr/bin/env node
// create-pareto: copies template/ into a new folder, names the app after it and prints the next steps.
import { cpSync, existsSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { basename, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const HERE = fileURLToPath(new URL('.', import.meta.url))
const TEMPLATE = join(HERE, 'template')
const DEFAULT_NAME = 'my-pareto-app'

const USAGE = `Usage: create-pareto [project-name] [options]

Creates a new Pareto app in the folder project-name (default "${DEFAULT_NAME}").

Options:
  -y, --yes     Ask nothing and use the defaults
      --force   Write into the folder even if it is not empty (files with the same names are replaced)
  -h, --help    Show this help

With npm create, put the options after "--" (npm keeps the ones before it for itself).

Examples:
  npm create pareto@latest my-app
  npm create pareto@latest my-app -- --yes
  npx create-pareto my-app --yes
`

/** An error the user caused and can fix: printed without a stack trace. */
class UserError extends Error {}

/** Parses argv into { name, yes, force, help }, rejecting unknown options with a pointer to --help. */
function parseCli(argv) {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        yes: { type: 'boolean', short: 'y', default: false },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
  } catch (err) {
    throw new UserError(`${err.message}\nRun "create-pareto --help" to see the options.`)
  }
  const { values, positionals } = parsed
  if (positionals.length > 1) {
    throw new UserError(
      `Expected one project name, got ${positionals.length}: ${positionals.join(' ')}\n` +
        'Quote a name that contains spaces, or pass only one.',
    )
  }
  return { name: positionals[0], yes: values.yes, force: values.force, help: values.help }
}

/** The package manager that ran us, from the user agent npm, pnpm, yarn and bun all set; npm otherwise. */
function detectPackageManager(userAgent = '') {
  const name = userAgent.split('/')[0]
  return ['pnpm', 'yarn', 'bun'].includes(name) ? name : 'npm'
}

/** The commands to type after scaffolding, for that package manager. */
function nextSteps(pm, targetDir) {
  const rel = relative(process.cwd(), targetDir)
  const steps = []
  if (rel) steps.push(`cd ${/\s/.test(rel) ? JSON.stringify(rel) : rel}`)
  steps.push(`${pm} install`)
  // npm and bun need "run" for a script; pnpm and yarn do not.
  steps.push(pm === 'npm' || pm === 'bun' ? `${pm} run dev` : `${pm} dev`)
  return steps
}

/** A valid npm package name made from a folder name: lowercase, no spaces, no leading dot or underscore. */
function toPackageName(folderName) {
  const name = folderName
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '')
  return name || 'pareto-app'
}

/** What stands in the way in a folder: its entries, less a bare `.git` (a fresh `git init` is empty enough). */
function existingEntries(dir) {
  if (!existsSync(dir)) return []
  if (!statSync(dir).isDirectory()) {
    throw new UserError(`${dir} is a file, not a folder. Choose another project name, or move the file away.`)
  }
  return readdirSync(dir).filter((entry) => entry !== '.git')
}

/**
 * The exact @paretojs/core version to depend on: the one baked in when this package was packed, else (run from
 * the repository) the sibling package's own.
 */
function coreVersion() {
  // The baked file wins: an installed copy must pin the core it was packed with, whatever sits beside it.
  const baked = join(HERE, 'core-version.json')
  if (existsSync(baked)) return JSON.parse(readFileSync(baked, 'utf8')).version
  const sibling = join(HERE, '..', 'core', 'package.json')
  if (existsSync(sibling)) {
    const core = JSON.parse(readFileSync(sibling, 'utf8'))
    if (core.name === '@paretojs/core') return core.version
  }
  throw new UserError(
    'This copy of create-pareto does not say which @paretojs/core version to use (core-version.json is missing).\n' +
      'Run the published one instead: npm create pareto@latest',
  )
}

/** Copies the template into targetDir and fills in the project's name and the core version. */
function scaffold(targetDir, packageName) {
  const version = coreVersion()
  cpSync(TEMPLATE, targetDir, { recursive: true })
  // npm drops .gitignore files from a package, so the template ships it under another name.
  renameSync(join(targetDir, '_gitignore'), join(targetDir, '.gitignore'))
  for (const file of ['package.json', 'README.md']) {
    const path = join(targetDir, file)
    const text = readFileSync(path, 'utf8')
    writeFileSync(path, text.replaceAll('{{projectName}}', packageName).replaceAll('{{coreVersion}}', version))
  }
}

/** Asks for whatever the arguments left open; returns the name, or null if the user cancelled. */
async function ask(prompts, name, force) {
  prompts.intro('create-pareto')
  if (!name) {
    const answer = await prompts.text({
      message: 'Project name (the folder to create)',
      placeholder: DEFAULT_NAME,
      defaultValue: DEFAULT_NAME,
      validate: (value) => (value && !value.trim() ? 'The name cannot be blank.' : undefined),
    })
    if (prompts.isCancel(answer)) return null
    name = answer.trim()
  }
  const target = resolve(name)
  if (!force && existingEntries(target).length > 0) {
    const overwrite = await prompts.confirm({
      message: `The folder ${name} is not empty. Write the app into it anyway? Files with the same names are replaced.`,
      initialValue: false,
    })
    if (prompts.isCancel(overwrite) || !overwrite) return null
  }
  return name
}

/** Runs the scaffolder with the command-line arguments; returns the exit code. */
async function main(argv) {
  const args = parseCli(argv)
  if (args.help) {
    process.stdout.write(USAGE)
    return 0
  }
  // Only a terminal session prompts, so only it loads the prompt library.
  const prompts = !args.yes && process.stdin.isTTY && process.stdout.isTTY ? await import('@clack/prompts') : null
  let name = args.name
  let force = args.force
  if (prompts) {
    name = await ask(prompts, name, force)
    if (name === null) {
      prompts.cancel('Cancelled: nothing was written. Run create-pareto again to start over.')
      return 1
    }
    // The user has just agreed to write into a non-empty folder, or it was empty.
    force = true
  } else if (!name) {
    if (!args.yes) {
      // `npm create pareto --yes` gives --yes to npm (it sets npm_config_yes), not to us.
      const npmKeptYes = process.env.npm_command === 'init' && process.env.npm_config_yes === 'true'
      throw new UserError(
        'No project name given, and there is no terminal to ask for one.\n' +
          (npmKeptYes ? 'npm kept --yes for itself: options for create-pareto go after "--".\n' : '') +
          `Run "npm create pareto@latest my-app", or "npm create pareto@latest -- --yes" to use the default ` +
          `name "${DEFAULT_NAME}".`,
      )
    }
    name = DEFAULT_NAME
  }

  const target = resolve(name)
  const entries = existingEntries(target)
  if (entries.length > 0 && !force) {
    throw new UserError(
      `The folder ${name} is not empty (${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}), ` +
        'so create-pareto did not write into it.\n' +
        'Choose another project name, empty the folder, or add --force to write the app into it anyway\n' +
        `(after "--" with npm create: npm create pareto@latest ${/\s/.test(name) ? JSON.stringify(name) : name} -- --force).`,
    )
  }
  const packageName = toPackageName(basename(target))
  scaffold(target, packageName)

  const steps = nextSteps(detectPackageManager(process.env.npm_config_user_agent), target)
  if (prompts) {
    prompts.note(steps.join('\n'), 'Next steps')
    prompts.outro(`Created ${packageName}. Then open http://localhost:3000`)
  } else {
    process.stdout.write(
      `\nCreated ${packageName} in ${target}\n\nNext steps:\n${steps.map((s) => `  ${s}\n`).join('')}` +
        '\nThen open http://localhost:3000\n',
    )
  }
  return 0
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err) => {
    if (!(err instanceof UserError)) throw err
    process.stderr.write(`create-pareto: ${err.message}\n`)
    process.exitCode = 1
  },
)
