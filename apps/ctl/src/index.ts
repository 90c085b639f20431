// @fortros/ctl as a library: the pure renderers and the JSON mapping scripts and tests rely on.
export * from './render/service-json.js';
export { renderServicesTable, renderServiceStatus, renderServiceSummary, SERVICE_TABLE_HEADER } from './render/service-text.js';
export { eventToJson, logLineToJson, type EventJson, type LogLineJson } from './render/stream-lines.js';
export { renderGraphDot, graphToJson, type GraphJson } from './render/graph-dot.js';
export { timelineToJson, type TimelineJson, type TimelineEntryJson } from './render/timeline-json.js';
export { renderBlame } from './render/blame.js';
export { renderPlotSvg } from './render/plot-svg.js';
export { runCli, type CliEnvironment } from './cli/run-cli.js';
export { ExitCode } from './cli/exit-codes.js';
