import { loadParetoConfig } from './load-config.js'

// Run by configuredOutDir in a child process: Vite is loaded there, and goes away with the process.
loadParetoConfig(process.argv[2]!, 'build').then(
  (config) => process.stdout.write(JSON.stringify(config.outDir)),
  (error: unknown) => {
    process.stderr.write(error instanceof Error ? error.message : String(error))
    process.exit(1)
  },
)
