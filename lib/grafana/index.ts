export type { GrafanaOperatorOptions, GrafanaSidecarOptions } from './common';
export { escapeForProvisioning } from './common';
export * from './loki-derived-fields';
export * from './tempo-datasource';
export * from './tempo-dashboards';
export { dashboardExpressions, substituteGrafanaVariables } from './dashboard-model';
