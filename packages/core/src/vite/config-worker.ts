import { loadParetoConfig } from './load-config.js'

// Run by configuredOutDir in a child process: Vite is loaded there, and goes away with the process.
// 'runner' writes no temporary file, so a server whose app folder it may not write to can still read it.
loadParetoConfig(process.argv[2]!, 'build', 'runner').then(
  (config) => process.stdout.write(JSON.stringify(config.outDir)),
  (error: unknown) => {
    process.stderr.write(error instanceof Error ? error.message : String(error))
    process.exit(1)
  },
)
