import { fileURLToPath } from 'node:url'
import { resolve } from 'node:path'

export const E2E_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '..')
export const REPO_DIR = resolve(E2E_DIR, '..')
export const CLI = resolve(REPO_DIR, 'packages/core/dist/cli/index.js')
export const FIXTURE = resolve(E2E_DIR, 'fixtures/basic')
