/** The pod-template-to-process mapping (test/support/pod-process.ts) on hand-built and synthesized objects. */
import { TempoVersion } from '../../lib';
import { podProcessSpec, rewritePaths, tempoContainers, tempoImageVersion } from '../support/pod-process';
import { find, synthDistributed, type Manifest } from '../support/synth';

const MOUNTS = { '/conf': '/r/conf', '/var/tempo': '/r/var/tempo', '/var': '/r/var' };

describe('rewritePaths', () => {
  test('maps paths under a mount point, longest mount point first', () => {
    expect(rewritePaths('path: /var/tempo/wal\nother: /var/log\n', MOUNTS)).toBe('path: /r/var/tempo/wal\nother: /r/var/log\n');
    expect(rewritePaths('-config.file=/conf/tempo.yaml', MOUNTS)).toBe('-config.file=/r/conf/tempo.yaml');
    expect(rewritePaths("key: '/conf'", MOUNTS)).toBe("key: '/r/conf'");
  });

  test('leaves everything that is not a path under a mount point', () => {
    const text = 'url: http://prometheus:9090/conf/x\nname: /config\nendpoint: 0.0.0.0:4317\npath: /etc/conf\n';
    expect(rewritePaths(text, MOUNTS)).toBe(text);
  });
});

test('tempoImageVersion reads the tag of Tempo images only', () => {
  expect(tempoImageVersion('grafana/tempo:2.6.1')).toBe('2.6.1');
  expect(tempoImageVersion('registry.example.com/mirror/tempo:2.10.8@sha256:abc')).toBe('2.10.8');
  expect(tempoImageVersion('grafana/tempo')).toBe('');
  expect(tempoImageVersion('grafana/tempo-vulture:2.10.8')).toBeUndefined();
  expect(tempoImageVersion('memcached:1.6')).toBeUndefined();
});

describe('podProcessSpec on a synthesized distributor', () => {
  const { manifests } = synthDistributed({ version: TempoVersion.V2_10_8 });
  const spec = podProcessSpec(manifests, find(manifests, 'Deployment', 'tempo-distributor'), { root: '/r' });

  test('keeps the container args, with the config path mapped', () => {
    expect(spec.args).toEqual(['-target=distributor', '-config.file=/r/conf/tempo.yaml', '-config.expand-env=true']);
    expect(spec.version).toBe('2.10.8');
    expect(spec.podName).toBe('tempo-distributor-0');
  });

  test('Secret values become dummies, literal values stay', () => {
    expect(spec.env.TEMPO_S3_SECRET_ACCESS_KEY).toBe('dummy-minio-credentials-rootPassword');
    expect(spec.env.GOMEMLIMIT).toMatch(/MiB$/);
  });

  test('writes the ConfigMaps where the pod mounts them, with only mounted path values rewritten', () => {
    const config = spec.files.find((f) => f.path === '/r/conf/tempo.yaml')!.content;
    expect(config).toContain('per_tenant_override_config: /r/runtime-config/overrides.yaml');
    expect(config).toContain('path: /r/var/tempo/wal');
    expect(config).toContain('${TEMPO_S3_SECRET_ACCESS_KEY}');
    expect(spec.files.map((f) => f.path)).toContain('/r/runtime-config/overrides.yaml');
    expect(spec.dirs).toEqual(expect.arrayContaining(['/r/var/tempo', '/r/tmp']));
  });

  test('finds every Tempo container and nothing else', () => {
    const workloads = manifests.filter((m) => m.kind === 'Deployment' || m.kind === 'StatefulSet');
    expect(tempoContainers(workloads).map((c) => c.workload.metadata.name).sort())
      .toEqual(['tempo-compactor', 'tempo-distributor', 'tempo-ingester', 'tempo-querier', 'tempo-query-frontend']);
  });
});

test('downward API, $(VAR) expansion, Secret files, subPath and missing ConfigMaps', () => {
  const pod: Manifest = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'x', namespace: 'ns' },
    spec: {
      template: {
        metadata: { labels: { zone: 'zone-b' } },
        spec: {
          containers: [{
            name: 'c',
            image: 'grafana/tempo:2.6.1',
            args: ['-config.file=/etc/tempo/t.yaml', '-x=$(POD)'],
            env: [
              { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'ZONE', valueFrom: { fieldRef: { fieldPath: "metadata.labels['zone']" } } },
              { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
              { name: 'ADDR', value: '$(IP):9095' },
              { name: 'CREDS', value: '/secrets/creds/key.json' },
            ],
            volumeMounts: [
              { name: 'cfg', mountPath: '/etc/tempo/t.yaml', subPath: 't.yaml' },
              { name: 'creds', mountPath: '/secrets/creds' },
              { name: 'token', mountPath: '/var/run/token' },
            ],
          }],
          volumes: [
            { name: 'cfg', configMap: { name: 'cfg' } },
            { name: 'creds', secret: { secretName: 'creds', items: [{ key: 'k', path: 'key.json' }] } },
            { name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token', audience: 'sts' } }] } },
          ],
        },
      },
    },
  };
  const cm: Manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'ns' }, data: { 't.yaml': 'file: /secrets/creds/key.json\n' } };
  const spec = podProcessSpec([pod, cm], pod, { root: '/r', podIndex: 2, podIp: '127.0.0.7' });
  expect(spec.args).toEqual(['-config.file=/r/etc/tempo/t.yaml', '-x=x-2']);
  expect(spec.env).toMatchObject({ POD: 'x-2', ZONE: 'zone-b', IP: '127.0.0.7', ADDR: '127.0.0.7:9095', CREDS: '/r/secrets/creds/key.json' });
  expect(spec.files).toEqual(expect.arrayContaining([
    { path: '/r/etc/tempo/t.yaml', content: 'file: /r/secrets/creds/key.json\n' },
    { path: '/r/secrets/creds/key.json', content: 'dummy-creds-k' },
    { path: '/r/var/run/token/token', content: 'dummy-token-x-2' },
  ]));
  expect(() => podProcessSpec([pod], pod, { root: '/r' })).toThrow(/ConfigMap cfg, which is not in the output/);
});
