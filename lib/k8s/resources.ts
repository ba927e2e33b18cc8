import { Size } from 'cdk8s';
import type { ContainerResources } from 'cdk8s-plus-28';
import { k8s } from './plus';
import { bytes, sizeErrors, sizeQuantity } from '../config/units';

/** Converts cdk8s-plus ContainerResources into the typed L1 form (quantities wrapped, so none is silently dropped). */
export function toResourceRequirements(r: ContainerResources): k8s.ResourceRequirements {
  const requests: Record<string, k8s.Quantity> = {};
  const limits: Record<string, k8s.Quantity> = {};
  if (r.cpu?.request) requests.cpu = k8s.Quantity.fromString(r.cpu.request.amount);
  if (r.cpu?.limit) limits.cpu = k8s.Quantity.fromString(r.cpu.limit.amount);
  if (r.memory?.request) requests.memory = k8s.Quantity.fromString(sizeQuantity(r.memory.request));
  if (r.memory?.limit) limits.memory = k8s.Quantity.fromString(sizeQuantity(r.memory.limit));
  if (r.ephemeralStorage?.request) requests['ephemeral-storage'] = k8s.Quantity.fromString(sizeQuantity(r.ephemeralStorage.request));
  if (r.ephemeralStorage?.limit) limits['ephemeral-storage'] = k8s.Quantity.fromString(sizeQuantity(r.ephemeralStorage.limit));
  return {
    requests: Object.keys(requests).length ? requests : undefined,
    limits: Object.keys(limits).length ? limits : undefined,
  };
}

/** CPU quantity in cores (`500m` → 0.5, `2` → 2). */
export function cpuCores(amount: string): number {
  return amount.endsWith('m') ? Number(amount.slice(0, -1)) / 1000 : Number(amount);
}

/** Errors for non-positive CPU or sizes and for requests above limits. */
export function resourceErrors(option: string, r: ContainerResources): string[] {
  const errors: string[] = [];
  const cpuReq = r.cpu?.request && cpuCores(r.cpu.request.amount);
  const cpuLim = r.cpu?.limit && cpuCores(r.cpu.limit.amount);
  if (cpuReq !== undefined && (!Number.isFinite(cpuReq) || cpuReq <= 0)) errors.push(`${option}.cpu.request: "${r.cpu!.request!.amount}" is invalid; allowed: a positive CPU amount`);
  if (cpuReq && cpuLim && cpuReq > cpuLim) errors.push(`${option}.cpu: request ${r.cpu!.request!.amount} is above limit ${r.cpu!.limit!.amount}; allowed: request <= limit`);
  for (const [key, range] of [['memory', r.memory], ['ephemeralStorage', r.ephemeralStorage]] as const) {
    const sizeProblems = [...sizeErrors(`${option}.${key}.request`, range?.request), ...sizeErrors(`${option}.${key}.limit`, range?.limit)];
    errors.push(...sizeProblems);
    if (!sizeProblems.length && range?.request && range.limit && bytes(range.request) > bytes(range.limit)) {
      errors.push(`${option}.${key}: request ${sizeQuantity(range.request)} is above limit ${sizeQuantity(range.limit)}; allowed: request <= limit`);
    }
  }
  return errors;
}

/**
 * GOMEMLIMIT for a memory limit: 80 % of it, so Go collects garbage before
 * the kernel kills the pod. Whole MiB (Go's syntax), or bytes below 1MiB.
 */
export function goMemLimit(limit: Size | undefined): string | undefined {
  if (!limit) return undefined;
  const target = Math.floor(bytes(limit) * 0.8);
  const mib = Math.floor(target / 2 ** 20);
  return mib >= 1 ? `${mib}MiB` : `${target}B`;
}
