import { defineConfig } from 'vite'
import tailwindcss from '@tailwindcss/vite'

// Pareto merges this file into its own Vite config for `pareto dev` and `pareto build`.
export default defineConfig({
  plugins: [tailwindcss()],
})
