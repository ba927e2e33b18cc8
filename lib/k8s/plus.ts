// The parts of cdk8s-plus-28 the library runs, by file: its index loads every L2 construct (about 30
// modules, ~15 ms and 3 MB per synth) although the library needs only the generated L1 bindings and Cpu.
// The rest (EnvValue, Secret, Workload for instrument()) is loaded on first use with cdk8sPlus().
import type * as Cdk8sPlus from 'cdk8s-plus-28';

export * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
export { Cpu } from 'cdk8s-plus-28/lib/container';

/** cdk8s-plus-28's whole index, loaded on first call. */
export const cdk8sPlus = (): typeof Cdk8sPlus => require('cdk8s-plus-28');
