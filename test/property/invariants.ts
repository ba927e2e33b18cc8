/**
 * What must hold for every synthesized App, whatever its configuration. Each check returns problems
 * as `[invariant] <object>: <what>`; none means the App passed. The Kubernetes API validation and
 * promtool run in child processes and are batched separately (see batch-checks.ts).
 */
import { Names } from 'cdk8s';
import * as yaml from 'js-yaml';
import { TempoVersion, validateTempoSchema } from '../../lib';
import { connectionAllowed, pod } from '../support/network-policy';
import { podSecurityViolations, podTemplateOf } from '../support/pod-security';
import { buildApp, type AppSpec, type BuiltApp } from './spec';

export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; [key: string]: any };

export interface Synthesized {
  readonly built: BuiltApp;
  /** `app.synthYaml()`: every chart, in order. */
  readonly yaml: string;
  readonly manifests: readonly Manifest[];
  /** The objects of each chart, by its output folder name. */
  readonly charts: readonly { readonly folder: string; readonly manifests: readonly Manifest[] }[];
}

/** Builds the App of a spec and synthesizes it in memory. Throws what the constructors throw. */
export function synthesize(spec: AppSpec): Synthesized {
  const built = buildApp(spec);
  const text = built.app.synthYaml();
  const manifests = (yaml.loadAll(text) as Manifest[]).filter((m) => m && typeof m === 'object');
  const charts = built.app.charts.map((c) => ({ folder: Names.toDnsLabel(c), manifests: Object.values(c.toJson()) as Manifest[] }));
  return { built, yaml: text, manifests, charts };
}

const id = (m: Manifest) => `${m.kind}/${m.metadata.namespace ? `${m.metadata.namespace}/` : ''}${m.metadata.name}`;
const ns = (m: Manifest) => m.metadata.namespace ?? '';
const selects = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);

/** Every in-process invariant (all but Kubernetes API validation and promtool); `rebuild` also synthesizes a second time. */
export function invariantProblems(spec: AppSpec, s: Synthesized, rebuild = true): string[] {
  const m = s.manifests;
  return [
    ...uniqueObjects(m),
    ...selectorsMatch(m),
    ...nameLimits(m),
    ...noZeroQuantities(m),
    ...noCredentialsInConfigMaps(m),
    ...tempoConfigValid(m),
    ...m.flatMap((o) => podSecurityViolations(o).map((v) => `[pod-security] ${v}`)),
    ...identityEgress(spec, m),
    ...mountedVolumes(m),
    ...jobAccounts(m),
    ...otlpExporters(m),
    ...exposedBackends(spec, m),
    ...argoDestinations(s),
    ...(rebuild ? deterministic(spec, s) : []),
  ];
}

/** Unique apiVersion group/kind/namespace/name across the whole App. */
export function uniqueObjects(manifests: readonly Manifest[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const m of manifests) {
    const key = `${m.apiVersion.includes('/') ? m.apiVersion.split('/')[0] : ''}/${m.kind}/${ns(m)}/${m.metadata.name}`;
    if (seen.has(key)) out.push(`[unique] ${id(m)}: two objects with the same apiVersion/kind/namespace/name`);
    seen.add(key);
  }
  return out;
}

/** Service/PDB/NetworkPolicy/workload selectors select a pod template; HPA targets, StatefulSet Services and ServiceMonitor Services exist. */
export function selectorsMatch(manifests: readonly Manifest[]): string[] {
  const out: string[] = [];
  const templates = manifests.map((m) => ({ m, tpl: podTemplateOf(m) })).filter((x) => x.tpl);
  const selectsPod = (namespace: string, selector: Record<string, string> | undefined) =>
    templates.some(({ m, tpl }) => ns(m) === namespace && selects(selector, tpl!.metadata?.labels));
  const exists = (kind: string, namespace: string, name: string) => manifests.some((m) => m.kind === kind && ns(m) === namespace && m.metadata.name === name);
  for (const m of manifests) {
    const n = ns(m);
    switch (m.kind) {
      case 'Service':
        if (m.spec?.selector && !selectsPod(n, m.spec.selector)) out.push(`[selectors] ${id(m)}: selector ${JSON.stringify(m.spec.selector)} matches no pod template`);
        break;
      case 'PodDisruptionBudget':
        if (!selectsPod(n, m.spec?.selector?.matchLabels)) out.push(`[selectors] ${id(m)}: selector matches no pod template`);
        break;
      case 'NetworkPolicy':
        if (!selectsPod(n, m.spec?.podSelector?.matchLabels)) out.push(`[selectors] ${id(m)}: podSelector matches no pod template`);
        break;
      case 'HorizontalPodAutoscaler': {
        const ref = m.spec?.scaleTargetRef ?? {};
        if (!exists(ref.kind, n, ref.name)) out.push(`[selectors] ${id(m)}: scaleTargetRef ${ref.kind}/${ref.name} does not exist`);
        break;
      }
      case 'Deployment':
      case 'StatefulSet':
        if (!selects(m.spec?.selector?.matchLabels, m.spec?.template?.metadata?.labels)) out.push(`[selectors] ${id(m)}: selector does not match its own pod template`);
        if (m.kind === 'StatefulSet' && !exists('Service', n, m.spec?.serviceName)) out.push(`[selectors] ${id(m)}: serviceName ${m.spec?.serviceName} is not a Service of the App`);
        break;
      case 'ServiceMonitor': {
        const namespaces: string[] = m.spec?.namespaceSelector?.matchNames ?? [n];
        const found = manifests.some((svc) => svc.kind === 'Service' && namespaces.includes(ns(svc)) && selects(m.spec?.selector?.matchLabels, svc.metadata.labels));
        if (!found) out.push(`[selectors] ${id(m)}: selector matches no Service of the App`);
        break;
      }
    }
  }
  return out;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/**
 * Kinds whose names Kubernetes (or the pods they make) limit to a DNS label. (NetworkPolicy, PDB and HPA names are
 * DNS subdomains to the API server; the library keeps its own within a label, except `instrument()`'s
 * `<instance>-ingest-from-<workload>`, which the user's workload name lengthens.)
 */
const LABEL_NAMED = new Set(['Service', 'Deployment', 'StatefulSet', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'ServiceMonitor', 'Namespace', 'Job']);

/** Every name within its limit: DNS label 63, StatefulSet 52 (its pods' controller-revision-hash label), Job 57 (its pods' names), others 253, label values 63. */
export function nameLimits(manifests: readonly Manifest[]): string[] {
  const out: string[] = [];
  for (const m of manifests) {
    const name = m.metadata.name;
    const limit = m.kind === 'StatefulSet' ? 52 : m.kind === 'Job' ? 57 : LABEL_NAMED.has(m.kind) ? 63 : 253;
    if (name.length > limit) out.push(`[names] ${id(m)}: name is ${name.length} characters; limit ${limit}`);
    if (m.kind === 'Service' && !/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name)) out.push(`[names] ${id(m)}: Service name is not a DNS-1035 label`);
    if (LABEL_NAMED.has(m.kind) && !DNS_LABEL.test(name)) out.push(`[names] ${id(m)}: name is not a DNS label`);
    else if (!DNS_SUBDOMAIN.test(name)) out.push(`[names] ${id(m)}: name is not a DNS subdomain`);
    const labelSets = [m.metadata.labels, m.spec?.selector?.matchLabels, m.spec?.template?.metadata?.labels, m.kind === 'Service' ? m.spec?.selector : undefined];
    for (const labels of labelSets) {
      for (const [k, v] of Object.entries(labels ?? {})) {
        if (typeof v !== 'string' || v.length > 63) out.push(`[names] ${id(m)}: label ${k} value "${v}" is over 63 characters`);
      }
    }
    for (const c of podTemplateOf(m)?.spec?.containers ?? []) {
      if (c.name.length > 63) out.push(`[names] ${id(m)}: container name ${c.name} is over 63 characters`);
    }
  }
  return out;
}

const ZERO = /^[+-]?0*(\.0*)?([eE][+-]?\d+)?([KMGTPE]i?|[mnu]|k)?$/;

/** No quantity renders as zero (requests, limits, claim sizes, emptyDir limits). */
export function noZeroQuantities(manifests: readonly Manifest[]): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string, m: Manifest) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`, m));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        const p = `${path}.${k}`;
        const quantityField = /\.(requests|limits)\.[^.]+$/.test(p) || k === 'sizeLimit';
        if (quantityField && (typeof x === 'string' || typeof x === 'number') && ZERO.test(String(x))) out.push(`[quantities] ${id(m)}: ${p.slice(1)} is "${x}"`);
        else walk(x, p, m);
      }
    }
  };
  for (const m of manifests) if (m.kind !== 'ConfigMap' && m.kind !== 'PrometheusRule') walk(m.spec, '.spec', m);
  return out;
}

const CREDENTIAL_WORDS = new Set(['secret', 'password', 'passwd', 'token', 'credential', 'credentials', 'htpasswd', 'apikey']);
const CREDENTIAL_KEYS = /^(access_key|secret_key|storage_account_key|account_key|api_key|private_key|access_key_id|secret_access_key)$/i;
/** A key that holds a credential: `secret_key`, `password`, `bearer_token`, ... (not `tokens_file_path`). */
const isCredentialKey = (key: string) => CREDENTIAL_KEYS.test(key) || key.split(/[_.-]|(?=[A-Z])/).some((w) => CREDENTIAL_WORDS.has(w.toLowerCase()));
const ENV_REF = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;
const URL_USERINFO = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

/**
 * No credential in a ConfigMap: every credential-like key in a ConfigMap's YAML is an environment
 * reference `${VAR}` to a variable that the pods mounting it read from a Secret; no URL carries a password.
 */
export function noCredentialsInConfigMaps(manifests: readonly Manifest[]): string[] {
  const out: string[] = [];
  for (const cm of manifests.filter((m) => m.kind === 'ConfigMap')) {
    const secretVars = secretEnvOfPodsMounting(manifests, cm);
    for (const [file, text] of Object.entries<string>(cm.data ?? {})) {
      if (URL_USERINFO.test(text)) out.push(`[credentials] ${id(cm)}: ${file} has a URL with a password`);
      let doc: unknown;
      try {
        doc = yaml.load(text);
      } catch {
        continue; // not YAML (nginx.conf, dashboards JSON are YAML too)
      }
      const walk = (v: unknown, path: string) => {
        if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
        else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) {
          if (isCredentialKey(k) && typeof x === 'string' && x !== '') {
            const ref = ENV_REF.exec(x);
            if (!ref) out.push(`[credentials] ${id(cm)}: ${file}: ${path}${k} holds a literal value`);
            else if (!secretVars.has(ref[1])) out.push(`[credentials] ${id(cm)}: ${file}: ${path}${k} reads \${${ref[1]}}, which no pod mounting it gets from a Secret`);
          } else walk(x, `${path}${k}.`);
        }
      };
      walk(doc, '');
    }
  }
  return out;
}

function podsMounting(manifests: readonly Manifest[], cm: Manifest) {
  return manifests.filter((m) => ns(m) === ns(cm) && (podTemplateOf(m)?.spec?.volumes ?? []).some((v: any) => v.configMap?.name === cm.metadata.name))
    .map((m) => podTemplateOf(m)!.spec);
}

function secretEnvOfPodsMounting(manifests: readonly Manifest[], cm: Manifest): Set<string> {
  const vars = new Set<string>();
  for (const pod of podsMounting(manifests, cm)) {
    for (const c of pod.containers ?? []) for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) vars.add(e.name);
  }
  return vars;
}

/** tempo.yaml and overrides.yaml fit the key schema of the instance's version, and every `${VAR}` in tempo.yaml is set on a pod reading it. */
export function tempoConfigValid(manifests: readonly Manifest[]): string[] {
  const out: string[] = [];
  for (const cm of manifests.filter((m) => m.kind === 'ConfigMap')) {
    const version = cm.metadata.labels?.['app.kubernetes.io/version'];
    const schema = version === undefined ? undefined : TempoVersion.of(version).schemaVersion;
    for (const [file, kind] of [['tempo.yaml', 'config'], ['overrides.yaml', 'overrides']] as const) {
      const text = cm.data?.[file];
      if (text === undefined) continue;
      if (!schema) {
        out.push(`[tempo-schema] ${id(cm)}: no app.kubernetes.io/version label to pick the key schema`);
        continue;
      }
      for (const v of validateTempoSchema(yaml.load(text), schema, kind)) out.push(`[tempo-schema] ${id(cm)}: ${file}: ${v.path}: ${v.message}`);
      if (kind === 'config') {
        const needed = [...text.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?\}/g)].filter((x) => !x[2]).map((x) => x[1]);
        // a variable only one component uses (the ingesters' zone) is set on that component's pods
        const pods = podsMounting(manifests, cm);
        const env = new Set(pods.flatMap((pod) => (pod.containers ?? []).flatMap((c: any) => (c.env ?? []).map((e: any) => e.name))));
        for (const v of needed) if (pods.length && !env.has(v)) out.push(`[tempo-schema] ${id(cm)}: tempo.yaml reads \${${v}}, which no pod mounting it sets`);
      }
    }
  }
  return out;
}

/** IPv4 `ip` inside `cidr`. */
function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(base)) return false;
  const toInt = (a: string) => a.split('.').reduce((acc, x) => acc * 256 + Number(x), 0);
  const block = 2 ** (32 - Number(bitsText));
  return Math.floor(toInt(ip) / block) === Math.floor(toInt(base) / block);
}

/**
 * Cloud identity that gets tokens from the node metadata server (GKE Workload Identity or node
 * credentials for GCS, Azure managed identity) has an egress path to 169.254.169.254:80 when
 * NetworkPolicies restrict the Tempo pods' egress.
 */
export function identityEgress(spec: AppSpec, manifests: readonly Manifest[]): string[] {
  const out: string[] = [];
  for (const chart of spec.charts) {
    for (const stack of chart.stacks) {
      const st = stack.props.storage;
      const p = st.props ?? {};
      const needsMetadata = (st.kind === 'gcs' && !p.serviceAccountKey) || (st.kind === 'azure' && p.useManagedIdentity);
      if (!needsMetadata || stack.props.networkPolicy?.enabled === false) continue;
      const name = stack.props.name ?? 'tempo';
      const podLabels = manifests.filter((m) => ns(m) === (chart.namespace ?? '') && m.kind !== 'ConfigMap' && podTemplateOf(m)
        && podTemplateOf(m)!.metadata?.labels?.['app.kubernetes.io/instance'] === name && podTemplateOf(m)!.metadata?.labels?.['app.kubernetes.io/name'] === 'tempo')
        .map((m) => podTemplateOf(m)!.metadata!.labels as Record<string, string>);
      const policies = manifests.filter((m) => m.kind === 'NetworkPolicy' && ns(m) === (chart.namespace ?? '') && (m.spec?.policyTypes ?? []).includes('Egress'));
      for (const labels of podLabels) {
        const applying = policies.filter((np) => selects(np.spec?.podSelector?.matchLabels, labels));
        if (!applying.length) continue;
        const allowed = applying.some((np) => (np.spec.egress ?? []).some((rule: any) => {
          const portOk = !rule.ports?.length || rule.ports.some((pt: any) => (pt.protocol ?? 'TCP') === 'TCP' && (pt.port === undefined || pt.port === 80));
          const toOk = !rule.to?.length || rule.to.some((peer: any) => peer.ipBlock && inCidr('169.254.169.254', peer.ipBlock.cidr)
            && !(peer.ipBlock.except ?? []).some((e: string) => inCidr('169.254.169.254', e)));
          return portOk && toOk;
        }));
        if (!allowed) {
          out.push(`[identity-egress] ${name} (${chart.namespace ?? 'no namespace'}): ${st.kind} credentials come from the metadata server, but pods ${labels['app.kubernetes.io/component']} may not reach 169.254.169.254:80`);
          break;
        }
      }
    }
  }
  return out;
}

/** An AppProject allows every namespace that the chart of each of its Applications writes objects to. */
export function argoDestinations(s: Synthesized): string[] {
  const out: string[] = [];
  for (const project of s.manifests.filter((m) => m.kind === 'AppProject')) {
    const allowed = new Set((project.spec?.destinations ?? []).map((d: any) => d.namespace));
    if (allowed.has('*')) continue;
    for (const app of s.manifests.filter((m) => m.kind === 'Application' && m.spec?.project === project.metadata.name)) {
      const folder = String(app.spec?.source?.path ?? '').split('/').pop();
      const chart = s.charts.find((c) => c.folder === folder || c.folder === app.metadata.name);
      const target = app.spec?.destination?.namespace;
      const namespaces = new Set([target, ...(chart?.manifests ?? []).map((m) => m.metadata.namespace ?? target)]);
      for (const n of namespaces) if (n && !allowed.has(n)) out.push(`[argocd] ${id(app)}: its chart writes to namespace ${n}, which AppProject ${project.metadata.name} does not allow`);
    }
  }
  return out;
}

/** A second build of the same spec gives byte-identical output. */
export function deterministic(spec: AppSpec, s: Synthesized): string[] {
  const again = buildApp(spec).app.synthYaml();
  return again === s.yaml ? [] : [`[deterministic] a second synth of the same configuration differs`];
}

/** Every Secret/ConfigMap a pod mounts has a valid name, and a ConfigMap it mounts (unless optional) is one of the App's. */
export function mountedVolumes(manifests: readonly Manifest[]): string[] {
  const out: string[] = [];
  for (const m of manifests) {
    for (const v of podTemplateOf(m)?.spec?.volumes ?? []) {
      const refs: { kind: string; name: string; optional?: boolean }[] = [
        ...(v.configMap ? [{ kind: 'ConfigMap', name: v.configMap.name, optional: v.configMap.optional }] : []),
        ...(v.secret ? [{ kind: 'Secret', name: v.secret.secretName, optional: v.secret.optional }] : []),
        ...(v.projected?.sources ?? []).flatMap((src: any) => [
          ...(src.configMap ? [{ kind: 'ConfigMap', name: src.configMap.name, optional: src.configMap.optional }] : []),
          ...(src.secret ? [{ kind: 'Secret', name: src.secret.name, optional: src.secret.optional }] : []),
        ]),
      ];
      for (const r of refs) {
        if (typeof r.name !== 'string' || r.name.length > 253 || !DNS_SUBDOMAIN.test(r.name)) out.push(`[volumes] ${id(m)}: volume ${v.name} mounts ${r.kind} "${r.name}", not a valid name`);
        else if (r.kind === 'ConfigMap' && !r.optional && !manifests.some((c) => c.kind === 'ConfigMap' && ns(c) === ns(m) && c.metadata.name === r.name)) {
          out.push(`[volumes] ${id(m)}: volume ${v.name} mounts ConfigMap ${r.name}, which the App does not have`);
        }
      }
    }
  }
  return out;
}

/** A Job's pods run as a ServiceAccount of the App, bound to Roles of the App that exist. */
export function jobAccounts(manifests: readonly Manifest[]): string[] {
  const out: string[] = [];
  const has = (kind: string, namespace: string, name: string) => manifests.some((x) => x.kind === kind && ns(x) === namespace && x.metadata.name === name);
  for (const job of manifests.filter((m) => m.kind === 'Job')) {
    const sa = job.spec?.template?.spec?.serviceAccountName;
    if (!sa || !has('ServiceAccount', ns(job), sa)) out.push(`[accounts] ${id(job)}: runs as ServiceAccount ${sa ?? '(default)'}, not one of the App's`);
    const bound = manifests.some((b) => b.kind === 'RoleBinding' && ns(b) === ns(job) && (b.subjects ?? []).some((x: any) => x.kind === 'ServiceAccount' && x.name === sa));
    if (sa && !bound) out.push(`[accounts] ${id(job)}: ServiceAccount ${sa} has no RoleBinding`);
  }
  for (const b of manifests.filter((m) => m.kind === 'RoleBinding')) {
    if (b.roleRef?.kind === 'Role' && !has('Role', ns(b), b.roleRef.name)) out.push(`[accounts] ${id(b)}: binds Role ${b.roleRef.name}, which the App does not have`);
  }
  return out;
}

/** The Service a pod reaches at `host:port`, the port its pods listen on, and one of those pods' labels. */
function dialled(manifests: readonly Manifest[], host: string, port: number, clientNamespace: string): { problem?: string; namespace?: string; labels?: Record<string, string>; targetPort?: number } {
  const [svcName, svcNs = clientNamespace] = host.replace(/\.svc(\.[a-z0-9.-]+)?$/, '').split('.');
  const svc = manifests.find((m) => m.kind === 'Service' && m.metadata.name === svcName && ns(m) === svcNs);
  if (!svc) return { problem: `Service ${svcNs}/${svcName} is not in the App` };
  const sp = (svc.spec?.ports ?? []).find((p: any) => p.port === port);
  if (!sp) return { problem: `Service ${svcNs}/${svcName} has no port ${port}` };
  const target = manifests.map(podTemplateOf).filter((t) => t && manifests.some((m) => podTemplateOf(m) === t && ns(m) === svcNs) && selects(svc.spec?.selector, t.metadata?.labels))[0];
  if (!target) return { problem: `Service ${svcNs}/${svcName} selects no pod` };
  const tp = sp.targetPort ?? port;
  const targetPort = typeof tp === 'number' ? tp : (target.spec?.containers ?? []).flatMap((c: any) => c.ports ?? []).find((p: any) => p.name === tp)?.containerPort;
  if (targetPort === undefined) return { problem: `Service ${svcNs}/${svcName} port ${port} targets ${tp}, which its pods do not declare` };
  return { namespace: svcNs, labels: target.metadata?.labels ?? {}, targetPort };
}

/**
 * Every OTLP exporter the App points at Tempo (instrument()'s OTEL_EXPORTER_OTLP_ENDPOINT, an Instrumentation's
 * endpoint) dials a Service of the App on one of its ports; an instrumented workload's pods may connect to it.
 */
export function otlpExporters(manifests: readonly Manifest[]): string[] {
  const out: string[] = [];
  const check = (m: Manifest, endpoint: string, clientNamespace: string, clientLabels?: Record<string, string>) => {
    const u = /^https?:\/\/([^:/]+):(\d+)$/.exec(endpoint);
    if (!u) return out.push(`[otlp] ${id(m)}: endpoint ${endpoint} is not http(s)://host:port`);
    const d = dialled(manifests, u[1], Number(u[2]), clientNamespace);
    if (d.problem) return out.push(`[otlp] ${id(m)}: endpoint ${endpoint}: ${d.problem}`);
    if (clientLabels && !connectionAllowed(manifests as any, pod(clientNamespace || 'default', clientLabels), pod(d.namespace || 'default', d.labels!), d.targetPort!)) {
      out.push(`[otlp] ${id(m)}: NetworkPolicies block its pods from ${endpoint} (pod port ${d.targetPort})`);
    }
    return undefined;
  };
  for (const m of manifests) {
    if (m.kind === 'Instrumentation' && m.spec?.exporter?.endpoint) check(m, m.spec.exporter.endpoint, ns(m));
    const tpl = podTemplateOf(m);
    if (!tpl || m.kind === 'ConfigMap') continue;
    for (const c of tpl.spec?.containers ?? []) {
      const e = (c.env ?? []).find((x: any) => x.name === 'OTEL_EXPORTER_OTLP_ENDPOINT');
      if (e?.value) check(m, e.value, ns(m), tpl.metadata?.labels ?? {});
    }
  }
  return out;
}

/** The proxy pods of a stack's exposure (the Ingress controller's, or the Gateway's), as the spec states them. */
function exposurePeers(exposure: any, namespace: string): { namespace: string; labels: Record<string, string> }[] {
  if (exposure.ingress) {
    const c = exposure.ingress.controller;
    if (c.kind === 'of') return [{ namespace: c.options.peer.args[1], labels: c.options.peer.args[0] }];
    return [{ namespace: c.options?.namespace ?? 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' } }];
  }
  const refs = [exposure.gatewayApi.parentRef, exposure.gatewayApi.grpcParentRef].filter(Boolean);
  return refs.map((r: any) => ({ namespace: r.namespace ?? namespace, labels: { 'gateway.networking.k8s.io/gateway-name': r.name } }));
}

/**
 * Every Ingress backend and route backendRef of an exposed stack names a Service of the App and one of its ports,
 * and the NetworkPolicies let the proxy pods reach the pods behind it on their port.
 */
export function exposedBackends(spec: AppSpec, manifests: readonly Manifest[]): string[] {
  const out: string[] = [];
  for (const chart of spec.charts) {
    const namespace = chart.namespace ?? '';
    for (const stack of chart.stacks.filter((st) => st.props.exposure)) {
      const name = stack.props.name ?? 'tempo';
      const routes = manifests.filter((m) => ['Ingress', 'HTTPRoute', 'GRPCRoute'].includes(m.kind) && ns(m) === namespace && m.metadata.labels?.['app.kubernetes.io/instance'] === name);
      if (!routes.length) out.push(`[exposure] ${name} (${namespace || 'no namespace'}): exposure is set, but no Ingress or route of the instance`);
      for (const r of routes) {
        const backends: { service: string; port: number | string }[] = r.kind === 'Ingress'
          ? (r.spec?.rules ?? []).flatMap((rule: any) => (rule.http?.paths ?? []).map((p: any) => ({ service: p.backend?.service?.name, port: p.backend?.service?.port?.number ?? p.backend?.service?.port?.name })))
          : (r.spec?.rules ?? []).flatMap((rule: any) => (rule.backendRefs ?? []).map((b: any) => ({ service: b.name, port: b.port })));
        if (!backends.length) out.push(`[exposure] ${id(r)}: no backend`);
        for (const b of backends) {
          const svc = manifests.find((m) => m.kind === 'Service' && ns(m) === namespace && m.metadata.name === b.service);
          const sp = svc && (svc.spec?.ports ?? []).find((p: any) => p.port === b.port || p.name === b.port);
          if (!sp) {
            out.push(`[exposure] ${id(r)}: backend ${b.service}:${b.port} is not a Service port of the App`);
            continue;
          }
          const d = dialled(manifests, b.service, sp.port, namespace);
          if (d.problem) {
            out.push(`[exposure] ${id(r)}: backend ${b.service}:${b.port}: ${d.problem}`);
            continue;
          }
          for (const peer of exposurePeers(stack.props.exposure, namespace)) {
            if (!connectionAllowed(manifests as any, pod(peer.namespace || 'default', peer.labels), pod(d.namespace || 'default', d.labels!), d.targetPort!)) {
              out.push(`[exposure] ${id(r)}: NetworkPolicies block the proxy pods (${peer.namespace} ${JSON.stringify(peer.labels)}) from ${b.service}:${b.port} (pod port ${d.targetPort})`);
            }
          }
        }
      }
    }
  }
  return out;
}
