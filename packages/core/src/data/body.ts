import { HttpError } from './errors.js'
import type { ReadBody } from './types.js'

/** How Pareto reads a body of a media type: parsed as JSON, as a form, multipart, text, or left unread (`raw`). */
export type BodyKind = 'json' | 'form' | 'multipart' | 'text' | 'raw'

/** The kind of a Content-Type header's media type. */
export function bodyKind(contentType: string | undefined | null): BodyKind {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase()
  if (type === 'application/json' || type.endsWith('+json')) return 'json'
  if (type === 'application/x-www-form-urlencoded') return 'form'
  if (type === 'multipart/form-data') return 'multipart'
  if (type === '' || type.startsWith('text/')) return 'text'
  return 'raw'
}

const utf8 = new TextDecoder()

/**
 * `req.body` as Express's parsers give it: JSON parsed, a url-encoded form as an object, text as a string;
 * `undefined` for an empty body and for multipart (read that with `ctx.formData()`).
 */
export function parseBody(body: ReadBody): unknown {
  if (body.bytes.byteLength === 0) return undefined
  const kind = bodyKind(body.type)
  if (kind === 'multipart' || kind === 'raw') return undefined
  const text = utf8.decode(body.bytes)
  if (kind === 'json') {
    try {
      return JSON.parse(text)
    } catch (error) {
      throw new HttpError(
        400,
        `Request body is not valid JSON (${(error as Error).message}). Send a JSON document with Content-Type: application/json.`,
      )
    }
  }
  if (kind === 'form') return Object.fromEntries(new URLSearchParams(text))
  return text
}

/** Parses a read body as FormData, with a 400 that says what is wrong for a body that is not a well-formed form. */
export async function parseFormData(body: ReadBody | undefined, method: string, parsed?: unknown): Promise<FormData> {
  // A body parser of the app's own (express.urlencoded()) read it first: its fields are the form.
  if (!body && parsed !== null && typeof parsed === 'object') {
    const form = new FormData()
    for (const [name, value] of Object.entries(parsed))
      for (const v of Array.isArray(value) ? value : [value]) form.append(name, String(v))
    return form
  }
  if (!body) {
    throw new HttpError(
      400,
      `ctx.formData() reads the body of an action (POST, PUT, PATCH or DELETE); this ${method} request has none.`,
    )
  }
  const kind = bodyKind(body.type)
  if (kind !== 'form' && kind !== 'multipart') {
    throw new HttpError(
      415,
      `ctx.formData() needs a form body (application/x-www-form-urlencoded or multipart/form-data); this request's Content-Type is ${body.type ? JSON.stringify(body.type) : 'missing'}.`,
    )
  }
  if (kind === 'multipart' && !/;\s*boundary=/i.test(body.type)) {
    throw new HttpError(400, 'Malformed multipart/form-data body: the Content-Type header has no boundary parameter.')
  }
  if (kind === 'form') {
    // A url-encoded form is one URLSearchParams: no Response to build for it (bench/NOTES.md, "FormFast").
    const form = new FormData()
    for (const [name, value] of new URLSearchParams(utf8.decode(body.bytes))) form.append(name, value)
    return form
  }
  try {
    return await new Response(body.bytes, { headers: { 'content-type': body.type } }).formData()
  } catch (error) {
    throw new HttpError(
      400,
      `Malformed multipart/form-data body: ${(error as Error).message} Check that every part is framed by the boundary named in Content-Type and that the body ends with the closing boundary.`,
    )
  }
}
