// @fortros/servicedir: the s6-rc source-format parser, graph compiler, graph helpers and `check` report.
export type { CompiledTree, HealthProbe, HealthSpec, LoadProblem, OneshotCommand, ServiceDefinition, ServiceType } from './types.js';
export { loadServiceTree, type LoadOptions } from './load-tree.js';
export { atomicDependencies, dependencyClosure, expandBundles, reverseDependents, topologicalOrder } from './graph.js';
export { allProblems, formatCheckReport } from './check-report.js';
export { isTemplateName, isValidServiceName, splitInstanceName } from './names.js';
export { DependencyCycleError, FailedServiceError, NoSourceDirectoryError, UnknownServiceError } from './errors.js';
export * from './constants.js';
export { describeHealthProbe } from './health-settings.js';
