import { spawnSync } from 'child_process';
import * as path from 'path';
import { localeOrder } from '../lib/sort-order';

const ROOT = path.resolve(__dirname, '..');

/** Modules a fresh process has loaded after running `body` with the library loaded as `lib`. */
function loadedModules(body: string): string[] {
  const script = `
    const { App, Chart } = require('cdk8s');
    const lib = require('./lib');
    const app = new App({ outdir: require('os').tmpdir() + '/load-on-use-' + process.pid });
    const chart = new Chart(app, 'c', { namespace: 'tracing' });
    ${body}
    app.synth();
    require('fs').rmSync(app.outdir, { recursive: true, force: true });
    process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  const res = spawnSync(process.execPath, ['-r', './scripts/ts-register.js', '-e', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDK8S_TEMPO_NO_CODE_CACHE: '1' } });
  if (res.status !== 0) throw new Error(res.stderr);
  return JSON.parse(res.stdout) as string[];
}

const STACK = `
  const tempo = new lib.TempoDistributed(chart, 'Tempo', { storage: lib.TempoStorage.s3({ bucket: 'traces', region: 'eu-west-1' }) });
  new lib.TempoServiceMonitors(chart, 'ServiceMonitors', { instance: tempo });`;

describe('integrations load on first use, not with the library', () => {
  const has = (mods: string[], re: RegExp) => mods.some((m) => re.test(m));
  const SDK = /@grafana[\\/]grafana-foundation-sdk/;
  const PROMQL = /lezer-promql/;
  const PLUS_INDEX = /cdk8s-plus-28[\\/]lib[\\/]index\.js$/;
  const FULL_L1 = /cdk8s-plus-28[\\/]lib[\\/]imports[\\/]k8s\.js$/;
  const OTEL_CRD = /imports[\\/]instrumentation-opentelemetry\.io\.ts$/;
  const GATEWAY_API = /imports[\\/](http|grpc)route-gateway\.networking\.k8s\.io\.ts$/;

  test('a TempoDistributed with ServiceMonitors loads neither the Grafana SDK, the PromQL parser nor cdk8s-plus-28 (index or full L1 bindings)', () => {
    const mods = loadedModules(STACK);
    expect(has(mods, /lib[\\/]tempo-distributed\.ts$/)).toBe(true);
    expect(has(mods, SDK)).toBe(false);
    expect(has(mods, PROMQL)).toBe(false);
    expect(has(mods, PLUS_INDEX)).toBe(false);
    expect(has(mods, FULL_L1)).toBe(false);
    expect(has(mods, OTEL_CRD)).toBe(false);
    expect(has(mods, GATEWAY_API)).toBe(false);
  });

  test('the OpenTelemetry Operator bindings load with the first TempoInstrumentation', () => {
    expect(has(loadedModules(`${STACK}
      new lib.TempoInstrumentation(chart, 'Instrumentation', { instance: tempo });`), OTEL_CRD)).toBe(true);
  });

  test('the Gateway API bindings load with Gateway API routes only', () => {
    const mods = loadedModules(`new lib.TempoMonolithic(chart, 'Tempo', { storage: lib.TempoStorage.local(), exposure: { hostnames: ['tempo.example.com'], grpc: false, gatewayApi: { parentRef: { name: 'public' } } } });`);
    expect(has(mods, GATEWAY_API)).toBe(true);
  });

  test('dashboards and alerts load them when they are used', () => {
    const mods = loadedModules(`${STACK}
      new lib.TempoAlerts(chart, 'Alerts', { instance: tempo });
      new lib.TempoDashboards(chart, 'Dashboards', { instance: tempo, tempoDatasourceUid: 'tempo', prometheusDatasourceUid: 'prometheus' });`);
    expect(has(mods, SDK)).toBe(true);
    expect(has(mods, PROMQL)).toBe(true);
  });
});

describe('localeOrder', () => {
  // ICU data is not loaded for these, so the order must be exactly localeCompare's
  const names = ['', '_', 'A', 'A_', 'A_B', 'AB', 'A0', 'A9', 'A_0', 'B', 'Z', '0', '9', '_A', 'GOMEMLIMIT', 'TEMPO_S3_ACCESS_KEY_ID',
    'TEMPO_S3ACCESS', 'a', 'a_b', 'ab', 'a0', 'z', '_a', 'Ab', 'aB', 'ä', 'a-b', 'A-B', 'a.b', 'ÄB'];
  test('orders every pair of names as localeCompare does', () => {
    const differing = names.flatMap((a) => names.filter((b) => Math.sign(localeOrder(a, b)) !== Math.sign(a.localeCompare(b))).map((b) => [a, b]));
    expect(differing).toEqual([]);
  });
});
