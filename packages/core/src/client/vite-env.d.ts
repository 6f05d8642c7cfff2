// The browser code is bundled by Vite: `import.meta.env.DEV` is replaced at build time, so dev-only code drops out.
/// <reference types="vite/client" />
