import type { RouteEntry, RouteTable } from './types.js'

/** Which view a document shows: a route's page, the not-found page, or the error page (alone when `bare`). */
export type ViewOf = { kind: 'page'; route: RouteEntry } | { kind: 'not-found' } | { kind: 'error'; bare?: boolean }

/** The route files a view is made of, root to leaf: one list for the server's asset hints and the client's imports. */
export interface ViewFiles {
  layouts: string[]
  /** The page, not-found or error file; absent when the app has none and the built-in page shows. */
  page?: string
  heads: string[]
}

/** The files of a view. The error page sits in the root layout, with the root head, unless it must stand alone. */
export function viewFiles(table: RouteTable, view: ViewOf): ViewFiles {
  if (view.kind === 'page') return { layouts: view.route.layouts, page: view.route.file, heads: view.route.heads }
  const around = view.kind === 'not-found' || !view.bare
  return {
    layouts: around && table.rootLayout ? [table.rootLayout] : [],
    page: view.kind === 'not-found' ? table.notFound : table.error,
    heads: around && table.rootHead ? [table.rootHead] : [],
  }
}

/** Every file of a view, in the order its styles apply: layouts, page, heads. */
export function allFiles(files: ViewFiles): string[] {
  return files.page ? [...files.layouts, files.page, ...files.heads] : [...files.layouts, ...files.heads]
}
