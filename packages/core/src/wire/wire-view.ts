import { plainJsonObjects } from '../shared/plain-json.js'
import { mapPromises } from '../shared/walk.js'

/** A settled value the encoder sends as one JSON string (see wireView). */
export class JsonBox {
  constructor(readonly value: unknown) {}
}

/**
 * What the encoder sees of loader data: the same values, except that a promise settling to a value JSON
 * carries exactly — and sharing no object with what was sent before it — settles to a JsonBox, which goes
 * out as one JSON string instead of being flattened key by key (the costliest part of streaming a value).
 * Values that share objects with earlier frames keep turbo-stream's references, so identity survives.
 */
export function wireView<T>(data: T): T {
  const sent = new WeakSet<object>()
  const remember = (o: object) => void sent.add(o)
  const view = (p: PromiseLike<unknown>): Promise<unknown> => {
    const settled = Promise.resolve(p).then((v) => {
      const objects = plainJsonObjects(v)
      if (objects && objects.length > 0) {
        let fresh = true
        for (const o of objects) if (sent.has(o)) fresh = false
        if (fresh) {
          objects.forEach(remember)
          return new JsonBox(v)
        }
      }
      return mapPromises(v, view, remember)
    })
    settled.catch(() => {})
    return settled
  }
  return mapPromises(data, view, remember)
}
