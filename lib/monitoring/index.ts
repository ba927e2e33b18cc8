export * from './tempo-metrics';
export * from './promql';
export { TempoJobs, TempoRole, TEMPO_ROLES } from './targets';
export * from './service-monitors';
export * from './tempo-alerts';
