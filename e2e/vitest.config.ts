import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['./helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 240_000,
    // Timing assertions compare the order of chunks on a 2-core machine: one file at a time keeps them honest.
    fileParallelism: false,
  },
})
