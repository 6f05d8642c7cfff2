/** Tags of the values Pareto encodes itself through turbo-stream plugins (one place, read by encoder and decoder). */
export const ERROR_TAG = 'pareto:error'
export const MAP_TAG = 'pareto:map'
export const SET_TAG = 'pareto:set'
export const OBJECT_TAG = 'pareto:object'
export const UNDEFINED_TAG = 'pareto:undefined'
