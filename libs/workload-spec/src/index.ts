// @fortros/workload-spec: workload specs (DESIGN §9), their validator, and the checks the org document's records share.
export * from './constants.js';
export * from './errors.js';
export * from './workload-spec.js';
export * from './check.js';
