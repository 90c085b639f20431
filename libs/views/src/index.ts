// @fortros/views: the daemons' wire types as people and scripts see them (DESIGN §6 JSON names, the boot timeline SVG).
export * from './wire-names.js';
export * from './service-json.js';
export * from './maintainer-json.js';
export * from './timeline-json.js';
export * from './plot-svg.js';
export * from './xml.js';
export * from './state-style.js';
export * from './time-format.js';
