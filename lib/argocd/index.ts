/*
 * Argo CD integration. The typed Application/AppProject bindings in imports/ are generated from the
 * Argo CD v3.5.1 CRDs with `scripts/import-argocd-crds.sh` (cdk8s import, offline).
 */
export * from './application';
export * from './chart';
export * from './sync-waves';
