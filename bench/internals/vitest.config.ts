import { defineConfig } from 'vitest/config'

// Checks of the request path against V8 itself (hidden classes, what survives a GC): not behaviour, so not
// in the unit suite; run them after changing a named mechanism (bench/NOTES.md).
export default defineConfig({ test: { include: ['*.test.ts'], environment: 'node' } })
