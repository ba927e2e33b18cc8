import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

test('imports/k8s.ts is what scripts/slim-k8s.mjs generates from the installed cdk8s-plus-28', () => {
  const res = spawnSync(process.execPath, ['scripts/slim-k8s.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' });
  expect(res.stderr).toBe('');
  expect(res.status).toBe(0);
});

test('the slim L1 classes render exactly what cdk8s-plus-28\'s full bindings render', () => {
  // a Deployment touching renamed fields (hostIPC, setHostnameAsFQDN), quantities, int-or-strings and maps
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { Chart, Testing } = require('cdk8s') as typeof import('cdk8s');
  const full = require('cdk8s-plus-28/lib/imports/k8s') as typeof import('cdk8s-plus-28/lib/imports/k8s');
  const slim = require('../../imports/k8s') as typeof import('../../imports/k8s');
  const render = (k: typeof full | typeof slim) => {
    const chart = new Chart(Testing.app(), 'c');
    new k.KubeDeployment(chart, 'd', {
      metadata: { name: 'd', labels: { b: '2', a: '1', skip: undefined as unknown as string } },
      spec: {
        selector: { matchLabels: { a: '1' } },
        strategy: { rollingUpdate: { maxSurge: k.IntOrString.fromString('25%'), maxUnavailable: k.IntOrString.fromNumber(0) } },
        template: {
          metadata: { labels: { a: '1' } },
          spec: {
            hostIpc: false,
            setHostnameAsFqdn: true,
            overhead: { cpu: k.Quantity.fromString('10m') },
            containers: [{
              name: 'c',
              image: 'i',
              resources: { limits: { memory: k.Quantity.fromString('1Gi') }, requests: { cpu: k.Quantity.fromNumber(1) } },
              ports: [{ containerPort: 80, name: 'http' }],
              readinessProbe: { httpGet: { path: '/ready', port: k.IntOrString.fromString('http') } },
            }],
          },
        },
      },
    });
    new k.KubeService(chart, 's', { spec: { clusterIp: 'None', ports: [{ port: 80, targetPort: k.IntOrString.fromNumber(8080) }] } });
    return JSON.stringify(Testing.synth(chart));
  };
  expect(render(slim)).toBe(render(full));
  expect(render(slim)).toContain('"hostIPC":false');
});
