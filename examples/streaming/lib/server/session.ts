// Sign-in for the example: a session row in SQLite and its id in an HttpOnly cookie. A demo: anyone may sign in
// under any name; a real app checks a password (or an identity provider) in the login action before signIn().
import { randomBytes } from 'node:crypto'
import type { LoaderRequest, LoaderResponse } from '@paretojs/core'
import { getDb } from './db'
import type { User } from '../types'

/** The cookie holding the session id. */
export const SESSION_COOKIE = 'shop_session'
const WEEK_MS = 7 * 86_400_000

/** The signed-in user of a request, or null: every loader and action that returns or changes private data asks. */
export function currentUser(req: LoaderRequest): User | null {
  const id = req.cookies[SESSION_COOKIE]
  if (!id) return null
  const row = getDb()
    .prepare('SELECT name FROM sessions WHERE id = ? AND expires_at > ?')
    .get(id, new Date().toISOString()) as User | undefined
  return row ?? null
}

/** Starts a session for `name` and sets its cookie on the response. */
export function signIn(res: LoaderResponse, name: string): void {
  const id = randomBytes(24).toString('base64url')
  getDb()
    .prepare('INSERT INTO sessions (id, name, expires_at) VALUES (?, ?, ?)')
    .run(id, name, new Date(Date.now() + WEEK_MS).toISOString())
  // HttpOnly: page scripts cannot read it. SameSite=Lax: other sites' requests do not carry it, except top-level
  // links. Served over HTTPS, add secure: true.
  res.cookie(SESSION_COOKIE, id, { httpOnly: true, sameSite: 'lax', maxAge: WEEK_MS })
}

/** Ends the request's session, if any, and tells the browser to drop the cookie. */
export function signOut(req: LoaderRequest, res: LoaderResponse): void {
  const id = req.cookies[SESSION_COOKIE]
  if (id) getDb().prepare('DELETE FROM sessions WHERE id = ?').run(id)
  res.clearCookie(SESSION_COOKIE)
}

/** A path to go back to after signing in: only a path on this site (never `//other.example`), else `fallback`. */
export function localPath(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.includes('\\')
    ? value
    : fallback
}
