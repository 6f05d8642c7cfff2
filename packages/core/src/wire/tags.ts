/** Tags of the values Pareto encodes itself through turbo-stream plugins (one place, read by encoder and decoder). */
export const ERROR_TAG = 'pareto:error'
export const MAP_TAG = 'pareto:map'
export const SET_TAG = 'pareto:set'
export const OBJECT_TAG = 'pareto:object'
/** A settled value sent as one JSON string. */
export const JSON_TAG = 'pareto:json'
export const UNDEFINED_TAG = 'pareto:undefined'
/** First character of a frame that is plain JSON (turbo-stream's lines never start with it). */
export const JSON_FRAME = 'J'
