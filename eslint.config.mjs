// ESLint for the project's TypeScript: typescript-eslint's recommended rules and React's rules of hooks.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.pareto/**',
      'bench/.work/**',
      'bench/anchor/**',
      'e2e/fixtures/original-*/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  // React code; the e2e helpers' `use…` names are test setup, not hooks.
  {
    files: ['packages/**/*.{ts,tsx}', 'examples/**/*.{ts,tsx}', 'e2e/fixtures/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  // Type tests declare values only to take their types.
  { files: ['**/*types.test.ts'], rules: { '@typescript-eslint/no-unused-vars': 'off' } },
)
