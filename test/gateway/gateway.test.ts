import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { TempoReceiver } from '../../lib/config/receivers';
import { TempoGateway, TempoGatewayProps } from '../../lib/gateway/gateway';
import { validateK8sManifests } from '../support/k8s-validation';
import { find, Manifest, testChart } from '../support/synth';

const BASE: TempoGatewayProps = { distributorServiceName: 'tempo-distributor', queryFrontendServiceName: 'tempo-query-frontend' };
const ALL_HTTP = [TempoReceiver.otlpGrpc(), TempoReceiver.otlpHttp(), TempoReceiver.jaegerThriftHttp(), TempoReceiver.zipkin()];
const AUTH = { secretName: 'tempo-gateway-auth' };

function synth(props: Partial<TempoGatewayProps> = {}, namespace: string | null = 'monitoring') {
  const chart = testChart(namespace);
  const gateway = new TempoGateway(chart, 'Gateway', { ...BASE, ...props });
  const manifests = Testing.synth(chart) as Manifest[];
  const conf: string = find(manifests, 'ConfigMap', 'tempo-gateway-config').data['nginx.conf'];
  return { gateway, manifests, conf };
}

/** The body of the first `location <match> {` block of a config text. */
function location(conf: string, match: string): string {
  const start = conf.indexOf(`location ${match} {`);
  if (start < 0) throw new Error(`no location ${match} in:\n${conf}`);
  return conf.slice(start, conf.indexOf('}', start) + 1);
}

describe('TempoGateway defaults (OTLP gRPC + HTTP receivers, no auth, single tenant)', () => {
  const { gateway, manifests, conf } = synth();
  const deploy = find(manifests, 'Deployment', 'tempo-gateway');
  const svc = find(manifests, 'Service', 'tempo-gateway');
  const pod = deploy.spec.template.spec;
  const container = pod.containers[0];

  test('a Deployment, a Service and a ConfigMap, named after the instance', () => {
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual(['ConfigMap/tempo-gateway-config', 'Deployment/tempo-gateway', 'Service/tempo-gateway']);
    expect(deploy.spec.replicas).toBe(1);
    expect(gateway.serviceName).toBe('tempo-gateway');
  });

  test('Service: http 80 → 8080 and OTLP gRPC 4317; the container listens on 8080 and 4317', () => {
    expect(svc.spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
      { name: 'grpc-otlp', port: 4317, targetPort: 'grpc-otlp', protocol: 'TCP' },
    ]);
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { name: 'grpc-otlp', containerPort: 4317, protocol: 'TCP' }]);
    expect(svc.spec.selector).toEqual(deploy.spec.selector.matchLabels);
  });

  test('pinned unprivileged nginx started on the mounted nginx.conf', () => {
    expect(container.image).toBe('nginxinc/nginx-unprivileged:1.27.5-alpine');
    expect(container.command).toEqual(['nginx', '-c', '/etc/nginx/gateway/nginx.conf']);
    expect(container.volumeMounts).toContainEqual({ name: 'config', mountPath: '/etc/nginx/gateway', readOnly: true });
    expect(pod.volumes).toContainEqual({ name: 'config', configMap: { name: 'tempo-gateway-config' } });
  });

  test('restricted security as uid 101 with a read-only root filesystem; writable emptyDirs for /tmp, /var/cache/nginx, /var/run', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 101, runAsGroup: 101, fsGroup: 101, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 101, runAsGroup: 101, allowPrivilegeEscalation: false, privileged: false,
      readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
    for (const [volume, mountPath] of [['tmp', '/tmp'], ['cache', '/var/cache/nginx'], ['run', '/var/run']]) {
      expect(container.volumeMounts).toContainEqual({ name: volume, mountPath });
      expect(pod.volumes).toContainEqual({ name: volume, emptyDir: {} });
    }
    expect(conf).toContain('pid /tmp/nginx.pid;');
    expect(conf).toMatch(/client_body_temp_path \/tmp\/client_temp;[\s\S]*proxy_temp_path \/tmp\/proxy_temp;/);
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test('probes on an unauthenticated /healthz location', () => {
    expect(container.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(location(conf, '= /healthz')).toContain('return 200');
  });

  test('explicit resources', () => {
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '256Mi' } });
  });

  test('labels: Tempo\'s component triple with component gateway', () => {
    expect(deploy.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'gateway' });
    expect(deploy.spec.template.metadata.labels).toEqual({ ...gateway.selectorLabels, 'app.kubernetes.io/part-of': 'tempo', 'app.kubernetes.io/managed-by': 'cdk8s-tempo' });
  });

  test('pod template carries the sha256 of nginx.conf, so a config change rolls the pods', () => {
    expect(deploy.spec.template.metadata.annotations['checksum/config']).toBe(createHash('sha256').update(conf).digest('hex'));
    expect(conf).toBe(gateway.nginxConf);
    const other = synth({ queryTimeout: Duration.minutes(10) }).manifests;
    expect(find(other, 'Deployment', 'tempo-gateway').spec.template.metadata.annotations['checksum/config']).not.toBe(deploy.spec.template.metadata.annotations['checksum/config']);
  });

  test('upstreams are variables on fully qualified names, resolved through kube-dns, so nginx starts before Tempo', () => {
    expect(conf).toContain('resolver kube-dns.kube-system.svc.cluster.local valid=10s;');
    expect(conf).toContain('set $distributor tempo-distributor.monitoring.svc.cluster.local;');
    expect(conf).toContain('set $query_frontend tempo-query-frontend.monitoring.svc.cluster.local;');
    expect(conf).not.toMatch(/upstream\s+\S+\s*{/);
    for (const line of conf.split('\n').filter((l) => /proxy_pass|grpc_pass/.test(l))) expect(line).toMatch(/(proxy|grpc)_pass (http|grpc):\/\/\$(distributor|query_frontend):\d+/);
  });

  test('only the enabled receivers are routed: OTLP HTTP on /v1/traces and /otlp/v1/traces; no Jaeger, no Zipkin', () => {
    expect(location(conf, '= /v1/traces')).toContain('proxy_pass http://$distributor:4318;');
    expect(location(conf, '= /otlp/v1/traces')).toContain('proxy_pass http://$distributor:4318/v1/traces$is_args$args;');
    expect(conf).not.toContain('/jaeger/');
    expect(conf).not.toContain('/zipkin/');
    expect(gateway.routes.map((r) => r.path)).toEqual(['/v1/traces', '/otlp/v1/traces']);
  });

  test('OTLP gRPC listener: HTTP/2 server on 4317 passing gRPC to the distributor', () => {
    const grpc = conf.slice(conf.indexOf('# OTLP gRPC'));
    expect(grpc).toMatch(/listen 4317;\s+http2 on;/);
    expect(grpc).toContain('grpc_pass grpc://$distributor:4317;');
    expect(gateway.otlpGrpcPort).toBe(4317);
  });

  test('query API: /api/ to the query-frontend, HTTP/1.1, unbuffered for streaming, long read timeout', () => {
    const api = location(conf, '/api/');
    expect(api).toContain('proxy_pass http://$query_frontend:3200;');
    expect(api).toContain('proxy_buffering off;');
    expect(api).toContain('proxy_read_timeout 300s;');
    expect(conf).toContain('proxy_http_version 1.1;');
    expect(location(conf, '/')).toContain('return 404;');
  });

  test('TraceQL streaming: the HTTP listener speaks HTTP/2 too and grpc_passes StreamingQuerier to the query-frontend', () => {
    const http = conf.slice(conf.indexOf('server {'), conf.indexOf('# OTLP gRPC'));
    expect(http).toMatch(/listen 8080;\s+http2 on;/);
    const streaming = location(conf, '/tempopb.StreamingQuerier/');
    expect(streaming).toContain('grpc_pass grpc://$query_frontend:3200;');
    expect(streaming).toContain('grpc_read_timeout 300s;');
    // the tenant and the credentials are handled like on every other route: at server level, for both protocols
    expect(streaming).not.toContain('_set_header');
    const server = (text: string) => text.slice(text.indexOf('server {'), text.indexOf('# OTLP gRPC') < 0 ? undefined : text.indexOf('# OTLP gRPC'));
    expect(server(conf)).toContain('grpc_set_header X-Scope-OrgID "";');
    const multi = server(synth({ receivers: ALL_HTTP, multitenancy: true, basicAuth: AUTH }).conf);
    expect(multi).toContain('grpc_set_header X-Scope-OrgID $remote_user;');
    expect(multi).toContain('grpc_set_header Authorization "";');
    expect(server(synth({ multitenancy: true, tenantHeader: 'pass-through' }).conf)).toContain('grpc_set_header X-Scope-OrgID $http_x_scope_orgid;');
  });

  test('single tenant: X-Scope-OrgID is stripped on both listeners; no auth', () => {
    expect(conf).toContain('proxy_set_header X-Scope-OrgID "";');
    expect(conf).toContain('grpc_set_header X-Scope-OrgID "";');
    expect(conf).not.toContain('$remote_user;');
    expect(conf).not.toContain('auth_basic');
    expect(pod.volumes.map((v: any) => v.name)).not.toContain('htpasswd');
  });

  test('`$` handling: nginx variables are written literally, never escaped or interpolated', () => {
    expect(conf).not.toContain('$$');
    expect(conf).not.toContain('${');
    expect(conf).not.toContain('undefined');
    expect(conf).toContain('$proxy_add_x_forwarded_for');
    expect(conf).toMatch(/log_format main '\$remote_addr - \$remote_user \[\$time_local\]/);
    // the ConfigMap holds the same text byte for byte
    expect(find(manifests, 'ConfigMap', 'tempo-gateway-config').data).toEqual({ 'nginx.conf': gateway.nginxConf });
  });

  test('passes Kubernetes schema validation', () => {
    expect(validateK8sManifests(manifests).errors).toEqual([]);
  });

  test('output is deterministic', () => {
    expect(synth().manifests).toEqual(manifests);
  });
});

describe('TempoGateway routes and listeners', () => {
  test('Jaeger Thrift HTTP and Zipkin are routed when enabled, to the receivers\' own ports', () => {
    const { conf, gateway } = synth({ receivers: [TempoReceiver.otlpHttp({ port: 4319 }), TempoReceiver.jaegerThriftHttp(), TempoReceiver.zipkin({ port: 9412 })] });
    expect(location(conf, '= /v1/traces')).toContain('proxy_pass http://$distributor:4319;');
    expect(location(conf, '= /jaeger/api/traces')).toContain('proxy_pass http://$distributor:14268/api/traces$is_args$args;');
    expect(location(conf, '= /zipkin/spans')).toContain('proxy_pass http://$distributor:9412/api/v2/spans$is_args$args;');
    expect(gateway.routes).toContainEqual({ path: '/zipkin/spans', receiver: 'zipkin', port: 9412, upstreamPath: '/api/v2/spans' });
  });

  test('receivers the gateway cannot route (Jaeger gRPC, UDP) add nothing; no OTLP gRPC receiver, no gRPC listener', () => {
    const { manifests, conf, gateway } = synth({ receivers: [TempoReceiver.otlpHttp(), TempoReceiver.jaegerGrpc(), TempoReceiver.jaegerThriftCompact()] });
    expect(conf).not.toContain('# OTLP gRPC');
    expect(conf).not.toContain('14250');
    expect(conf).not.toContain('6831');
    expect(gateway.otlpGrpcPort).toBeUndefined();
    expect(find(manifests, 'Service', 'tempo-gateway').spec.ports.map((p: any) => p.name)).toEqual(['http']);
    expect(find(manifests, 'Deployment', 'tempo-gateway').spec.template.spec.containers[0].ports.map((p: any) => p.name)).toEqual(['http']);
  });

  test('the gRPC listener can be turned off; a custom OTLP gRPC receiver port is the upstream', () => {
    expect(synth({ otlpGrpcListener: false }).conf).not.toContain('grpc_pass grpc://$distributor');
    expect(synth({ receivers: [TempoReceiver.otlpGrpc({ port: 14317 })] }).conf).toContain('grpc_pass grpc://$distributor:14317;');
  });

  test('namespace, cluster domain, resolver, query-frontend port and tuning options', () => {
    const { conf } = synth({
      namespace: 'tracing', clusterDomain: 'example.internal', dnsResolver: '10.96.0.10:53', queryFrontendPort: 3201,
      workerProcesses: 4, maxRequestBodySize: Size.kibibytes(512), queryTimeout: Duration.seconds(90),
    }, null);
    expect(conf).toContain('set $distributor tempo-distributor.tracing.svc.example.internal;');
    expect(conf).toContain('resolver 10.96.0.10:53 valid=10s;');
    expect(conf).toContain('proxy_pass http://$query_frontend:3201;');
    expect(conf).toContain('worker_processes 4;');
    expect(conf).toContain('client_max_body_size 512k;');
    expect(conf).toContain('proxy_read_timeout 90s;');
    expect(synth({ clusterDomain: 'corp.local' }).conf).toContain('resolver kube-dns.kube-system.svc.corp.local valid=10s;');
  });

  test('instance name, replicas, resources and placement', () => {
    const chart = testChart('monitoring');
    new TempoGateway(chart, 'G', {
      ...BASE, instanceName: 'traces', replicas: 3,
      resources: { cpu: { request: Cpu.millis(250) }, memory: { request: Size.mebibytes(128), limit: Size.mebibytes(128) } },
      nodeSelector: { pool: 'edge' }, priorityClassName: 'high',
    });
    const manifests = Testing.synth(chart) as Manifest[];
    const deploy = find(manifests, 'Deployment', 'traces-gateway');
    expect(deploy.spec.replicas).toBe(3);
    expect(deploy.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '250m', memory: '128Mi' }, limits: { memory: '128Mi' } });
    expect(deploy.spec.template.spec.nodeSelector).toEqual({ pool: 'edge' });
    expect(deploy.spec.selector.matchLabels['app.kubernetes.io/instance']).toBe('traces');
    expect(find(manifests, 'ConfigMap', 'traces-gateway-config')).toBeDefined();
    expect(validateK8sManifests(manifests).errors).toEqual([]);
  });
});

describe('TempoGateway basic auth and tenant header', () => {
  test('basic auth: the htpasswd key of an existing Secret, mounted read-only; every route but /healthz requires it; credentials not forwarded', () => {
    const { manifests, conf } = synth({ basicAuth: AUTH, receivers: ALL_HTTP });
    const pod = find(manifests, 'Deployment', 'tempo-gateway').spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'htpasswd', secret: { secretName: 'tempo-gateway-auth', items: [{ key: '.htpasswd', path: '.htpasswd' }], defaultMode: 0o440 } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'htpasswd', mountPath: '/etc/nginx/secrets', readOnly: true });
    // server-level auth on both listeners, switched off for the health check only
    expect(conf.match(/auth_basic_user_file \/etc\/nginx\/secrets\/\.htpasswd;/g)).toHaveLength(2);
    expect(conf.match(/auth_basic off;/g)).toHaveLength(1);
    expect(location(conf, '= /healthz')).toContain('auth_basic off;');
    expect(conf).toContain('proxy_set_header Authorization "";');
    expect(conf).toContain('grpc_set_header Authorization "";');
    // auth alone does not make a tenant: single-tenant still strips the header
    expect(conf).toContain('proxy_set_header X-Scope-OrgID "";');
    expect(validateK8sManifests(manifests).errors).toEqual([]);
  });

  test('a custom Secret key', () => {
    const { manifests, conf } = synth({ basicAuth: { secretName: 'auth', key: 'users' } });
    expect(find(manifests, 'Deployment', 'tempo-gateway').spec.template.spec.volumes).toContainEqual(
      { name: 'htpasswd', secret: { secretName: 'auth', items: [{ key: 'users', path: 'users' }], defaultMode: 0o440 } },
    );
    expect(conf).toContain('auth_basic_user_file /etc/nginx/secrets/users;');
  });

  test('multi-tenant, from-basic-auth-user (default): the tenant is the authenticated user; a client header is overwritten', () => {
    const { conf } = synth({ multitenancy: true, basicAuth: AUTH });
    expect(conf).toContain('proxy_set_header X-Scope-OrgID $remote_user;');
    expect(conf).toContain('grpc_set_header X-Scope-OrgID $remote_user;');
    expect(conf).not.toContain('$http_x_scope_orgid');
    // one setting per protocol and listener, at server level, so no location drops it by declaring its own headers
    expect(conf.match(/X-Scope-OrgID/g)).toHaveLength(3);
    expect(location(conf, '/api/')).not.toContain('proxy_set_header');
  });

  test('multi-tenant, pass-through: the client\'s header goes to Tempo (with or without auth)', () => {
    for (const basicAuth of [AUTH, undefined]) {
      const { conf } = synth({ multitenancy: true, tenantHeader: 'pass-through', basicAuth });
      expect(conf).toContain('proxy_set_header X-Scope-OrgID $http_x_scope_orgid;');
      expect(conf).toContain('grpc_set_header X-Scope-OrgID $http_x_scope_orgid;');
      expect(conf).not.toContain('X-Scope-OrgID $remote_user');
    }
  });
});

/** `nginx -t` on the generated file; only where an nginx binary exists (not in CI). */
describe('nginx accepts the generated configuration', () => {
  const probe = spawnSync('nginx', ['-v'], { encoding: 'utf8' });
  const version = /nginx\/(\d+)\.(\d+)\.(\d+)/.exec(`${probe.stderr ?? ''}${probe.stdout ?? ''}`);
  const check = version ? test : test.skip;
  const title = version
    ? `nginx -t (local nginx ${version[1]}.${version[2]}.${version[3]}) accepts every variant`
    : 'nginx -t accepts every variant: SKIPPED, no nginx binary on this machine (optional local check: apt-get install nginx)';

  check(title, () => {
    const [maj, min, patch] = version!.slice(1).map(Number);
    const hasHttp2Directive = maj > 1 || min > 25 || (min === 25 && patch >= 1);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tempo-gateway-nginx-'));
    try {
      const variants: Array<Partial<TempoGatewayProps>> = [
        {},
        { receivers: ALL_HTTP, basicAuth: AUTH },
        { receivers: ALL_HTTP, multitenancy: true, basicAuth: AUTH },
        { receivers: ALL_HTTP, multitenancy: true, tenantHeader: 'pass-through' },
        { receivers: [TempoReceiver.zipkin()] },
        { exporter: true },
      ];
      for (const [i, variant] of variants.entries()) {
        // the resolver must resolve at load time: a local address stands in for kube-dns
        let conf = synth({ ...variant, dnsResolver: '127.0.0.1' }).conf;
        // nginx before 1.25.1 only knows the older `listen ... http2` form
        if (!hasHttp2Directive) conf = conf.replace(/listen (\d+);\n(\s*)http2 on;/g, 'listen $1 http2;');
        const file = path.join(dir, `nginx-${i}.conf`);
        fs.writeFileSync(file, conf);
        // real files as stdout/stderr: nginx opens /dev/stdout, which a socket (node's pipes) refuses
        const out = path.join(dir, `nginx-${i}.log`);
        const fd = fs.openSync(out, 'w');
        const res = spawnSync('nginx', ['-t', '-q', '-c', file, '-e', 'stderr'], { stdio: ['ignore', fd, fd] });
        fs.closeSync(fd);
        expect({ variant: i, status: res.status, output: fs.readFileSync(out, 'utf8') }).toEqual({ variant: i, status: 0, output: '' });
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('TempoGateway bad input fails at construction, naming the option, the value and what is allowed', () => {
  const cases: Array<[string, Partial<TempoGatewayProps>, RegExp]> = [
    ['upper-case instance', { instanceName: 'Tempo' }, /instanceName: "Tempo" is invalid; allowed: a DNS label of at most 48 characters/],
    ['instance too long', { instanceName: 'a'.repeat(49) }, /instanceName: "a{49}" is invalid; allowed: a DNS label of at most 48/],
    ['bad distributor Service', { distributorServiceName: 'tempo_distributor' }, /distributorServiceName: "tempo_distributor" is invalid; allowed: a Service name/],
    ['query-frontend Service with a dot', { queryFrontendServiceName: 'qf.monitoring' }, /queryFrontendServiceName: "qf\.monitoring" is invalid; allowed: a Service name/],
    ['bad namespace', { namespace: 'Monitoring' }, /namespace: "Monitoring" is invalid; allowed: a DNS label/],
    ['resolver with an nginx directive injected', { dnsResolver: 'kube-dns; evil' }, /dnsResolver: "kube-dns; evil" is invalid; allowed: a DNS name or an IP address, with an optional :port/],
    ['bad cluster domain', { clusterDomain: 'cluster_local' }, /clusterDomain: "cluster_local" is invalid/],
    ['tenant header without multi-tenancy', { tenantHeader: 'pass-through' }, /tenantHeader: "pass-through" is set but multitenancy is off .*; allowed: multitenancy: true, or no tenantHeader/],
    ['tenant from the user without basic auth', { multitenancy: true }, /tenantHeader: "from-basic-auth-user" needs basicAuth .*; allowed: set basicAuth, or tenantHeader: 'pass-through'/],
    ['unknown tenant header mode', { multitenancy: true, tenantHeader: 'from-jwt' as any }, /tenantHeader: "from-jwt" is invalid; allowed: from-basic-auth-user, pass-through/],
    ['bad Secret name', { basicAuth: { secretName: 'Auth_Secret' } }, /basicAuth\.secretName: "Auth_Secret" is not a valid Secret name/],
    ['bad Secret key', { basicAuth: { secretName: 'auth', key: '..' } }, /basicAuth\.key: "\.\." is invalid; allowed: a Secret key/],
    ['Secret key with a slash', { basicAuth: { secretName: 'auth', key: 'a/b' } }, /basicAuth\.key: "a\/b" is invalid/],
    ['gRPC listener without the receiver', { receivers: [TempoReceiver.otlpHttp()], otlpGrpcListener: true }, /otlpGrpcListener: true but the otlp-grpc receiver is not enabled; allowed: add TempoReceiver\.otlpGrpc\(\)/],
    ['duplicate receiver', { receivers: [TempoReceiver.otlpHttp(), TempoReceiver.otlpHttp({ port: 4319 })] }, /receivers: otlp-http is listed twice/],
    ['negative replicas', { replicas: -1 }, /replicas: -1 is invalid; allowed: an integer >= 1/],
    ['no replicas', { replicas: 0 }, /replicas: 0 is invalid; allowed: an integer >= 1 \(clients and Grafana reach Tempo through it\)/],
    ['no workers', { workerProcesses: 0 }, /workerProcesses: 0 is invalid; allowed: an integer from 1 to 64/],
    ['query-frontend port out of range', { queryFrontendPort: 70000 }, /queryFrontendPort: 70000 is invalid; allowed: an integer from 1 to 65535/],
    ['sub-second query timeout', { queryTimeout: Duration.millis(1500) }, /queryTimeout: .* is invalid; allowed: a whole number of seconds, at least 1s/],
    ['body size in bytes', { maxRequestBodySize: Size.kibibytes(0.5) }, /maxRequestBodySize: 512 bytes is invalid; allowed: a positive whole number of kibibytes/],
    ['request above limit', { resources: { memory: { request: Size.gibibytes(1), limit: Size.mebibytes(256) } } }, /resources\.memory: request 1Gi is above limit 256Mi/],
    ['bad node selector', { nodeSelector: { pool: 'has space' } }, /nodeSelector: value "has space" of "pool" is invalid/],
  ];
  test.each(cases)('%s', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  test('a chart without a namespace needs the namespace option (nginx resolves fully qualified names only)', () => {
    expect(() => synth({}, null)).toThrow(/TempoGateway "tempo-gateway":\n {2}namespace: not set and the chart has none; allowed: the namespace of the distributor and query-frontend Services/);
    expect(synth({ namespace: 'monitoring' }, null).conf).toContain('tempo-distributor.monitoring.svc.cluster.local');
  });
});
