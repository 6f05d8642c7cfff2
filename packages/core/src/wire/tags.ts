/** Tags of the values Pareto encodes itself through turbo-stream plugins (one place, read by encoder and decoder). */
export const ERROR_TAG = 'pareto:error'
export const MAP_TAG = 'pareto:map'
export const SET_TAG = 'pareto:set'
export const OBJECT_TAG = 'pareto:object'
/** A settled value sent as one JSON string. */
export const JSON_TAG = 'pareto:json'
export const UNDEFINED_TAG = 'pareto:undefined'
/** A plain object with an own `__proto__` key, as its entries: turbo-stream's decoder would set it as the prototype. */
export const PROTO_KEY_TAG = 'pareto:proto-key'

// First characters of Pareto's own lines; turbo-stream's lines start with '[', 'P' or 'E'.
/** A frame that is the whole data as plain JSON. */
export const JSON_FRAME = 'J'
/** The first frame of plain-JSON data with promises: `D[data, paths]`, a promise at each path. */
export const DEFERRED_FRAME = 'D'
/** `R<i>:<json>`: promise i resolved to plain JSON. */
export const RESOLVED_FRAME = 'R'
/** `X<i>:<error shape>`: promise i rejected. */
export const REJECTED_FRAME = 'X'
/** `T<i>:<line>`: one turbo-stream line of promise i's value, which JSON cannot carry exactly. */
export const TURBO_FRAME = 'T'
