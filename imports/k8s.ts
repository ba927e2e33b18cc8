// Kubernetes 1.28 API bindings. `cdk8s import k8s` downloads its schema from GitHub, which this project's
// machines cannot reach; cdk8s-plus-28 ships the same generated module, so it is re-exported here.
export { k8s } from 'cdk8s-plus-28';
