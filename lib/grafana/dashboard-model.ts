import type * as cog from '@grafana/grafana-foundation-sdk/cog';

// The SDK is loaded when the first dashboard is built (require in buildDashboard), not with the library:
// apps without TempoDashboards do not pay its start-up time and memory.
type DashboardSdk = typeof import('@grafana/grafana-foundation-sdk/dashboard');
type CommonSdk = typeof import('@grafana/grafana-foundation-sdk/common');

/** One PromQL query of a panel. */
export interface QuerySpec {
  /** PromQL expression; may use dashboard variables and `$__rate_interval`. */
  readonly expr: string;
  /** Legend format, e.g. `{{route}}`. */
  readonly legend: string;
}

/** A time-series panel on the Prometheus data source. */
export interface TimeseriesSpec {
  /** Panel kind. */
  readonly kind: 'timeseries';
  /** Panel title. */
  readonly title: string;
  /** Panel description. */
  readonly description: string;
  /** Grafana unit of the values, e.g. `s` or `reqps`. */
  readonly unit: string;
  /** The queries, refIds A, B, ... in order. */
  readonly queries: readonly QuerySpec[];
  /** Grid width (of 24). @default 8 */
  readonly width?: number;
  /** Stack the series. @default false */
  readonly stack?: boolean;
}

/** A node graph of Tempo's service map (the Tempo data source builds it from the service-graph metrics). */
export interface ServiceMapSpec {
  /** Panel kind. */
  readonly kind: 'serviceMap';
  /** Panel title. */
  readonly title: string;
  /** Panel description. */
  readonly description: string;
}

/** A panel of a row. */
export type PanelSpec = TimeseriesSpec | ServiceMapSpec;

/** A row of panels. */
export interface RowSpec {
  /** Row title. */
  readonly title: string;
  /** Panels of the row, in order. */
  readonly panels: readonly PanelSpec[];
}

/** A Prometheus query variable. */
export interface VariableSpec {
  /** Variable name, used as `$name` in queries. */
  readonly name: string;
  /** Label shown in the variable picker. */
  readonly label: string;
  /** `label_values(<selector>, <label>)`. */
  readonly query: string;
  /** Preselected value; `$__all` selects All. @default none (Grafana picks) */
  readonly current?: string;
  /** Allow several values and an All option (matching `.*`). @default false */
  readonly multi?: boolean;
}

/** A dashboard before it is built. */
export interface DashboardSpec {
  /** Dashboard uid. */
  readonly uid: string;
  /** Dashboard title. */
  readonly title: string;
  /** Dashboard description. */
  readonly description: string;
  /** Dashboard tags. */
  readonly tags: readonly string[];
  /** uid of the Prometheus data source, preselected in the `datasource` variable. */
  readonly prometheusUid: string;
  /** uid of the Tempo data source the service map queries. */
  readonly tempoUid: string;
  /** Query variables, after the `datasource` variable. */
  readonly variables: readonly VariableSpec[];
  /** Rows of panels, top to bottom. */
  readonly rows: readonly RowSpec[];
}

const PROMETHEUS = { type: 'prometheus', uid: '${datasource}' };

/**
 * Builds a Grafana dashboard JSON model with the typed builders of
 * @grafana/grafana-foundation-sdk. Panels get sequential ids (deterministic
 * output); every Prometheus panel reads the `datasource` variable.
 */
export function buildDashboard(spec: DashboardSpec): Record<string, any> {
  const {
    DashboardBuilder, DashboardCursorSync, DatasourceVariableBuilder, PanelBuilder, QueryVariableBuilder, RowBuilder,
    VariableRefresh, VariableSort,
  } = require('@grafana/grafana-foundation-sdk/dashboard') as DashboardSdk;
  const {
    LegendDisplayMode, LegendPlacement, SortOrder, StackingConfigBuilder, StackingMode, TooltipDisplayMode,
    VizLegendOptionsBuilder, VizTooltipOptionsBuilder,
  } = require('@grafana/grafana-foundation-sdk/common') as CommonSdk;
  const builder = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags([...spec.tags])
    .readonly()
    .timezone('browser')
    .time({ from: 'now-1h', to: 'now' })
    .refresh('1m')
    .tooltip(DashboardCursorSync.Crosshair)
    .withVariable(new DatasourceVariableBuilder('datasource')
      .label('Data source')
      .type('prometheus')
      .current({ selected: true, text: spec.prometheusUid, value: spec.prometheusUid }));
  for (const v of spec.variables) {
    let variable = new QueryVariableBuilder(v.name)
      .label(v.label)
      .datasource(PROMETHEUS)
      .query(v.query)
      .definition(v.query)
      .refresh(VariableRefresh.OnTimeRangeChanged)
      .sort(VariableSort.AlphabeticalAsc);
    if (v.multi) variable = variable.multi(true).includeAll(true).allValue('.*');
    if (v.current === '$__all') variable = variable.current({ selected: true, text: 'All', value: '$__all' });
    else if (v.current !== undefined) variable = variable.current({ selected: true, text: v.current, value: v.current });
    builder.withVariable(variable);
  }
  let id = 1;
  for (const row of spec.rows) {
    builder.withRow(new RowBuilder(row.title).id(id++));
    for (const panel of row.panels) {
      if (panel.kind === 'serviceMap') {
        // The generic panel builder with type nodeGraph: the SDK's nodegraph module pulls in its whole dashboard-v2 schema.
        builder.withPanel(new PanelBuilder()
          .type('nodeGraph')
          .id(id++)
          .title(panel.title)
          .description(panel.description)
          .datasource({ type: 'tempo', uid: spec.tempoUid })
          .span(24)
          .height(16)
          .withTarget(queryTarget({ refId: 'A', queryType: 'serviceMap', filters: [], datasource: { type: 'tempo', uid: spec.tempoUid } })));
        continue;
      }
      // The generic panel builder with the time series panel's options: the SDK's timeseries module
      // pulls in its whole dashboard-v2 schema (about 35 ms of every synth).
      const p = new PanelBuilder()
        .type('timeseries')
        .id(id++)
        .title(panel.title)
        .description(panel.description)
        .datasource(PROMETHEUS)
        .unit(panel.unit)
        .min(0)
        .span(panel.width ?? 8)
        .height(8)
        .options({
          legend: new VizLegendOptionsBuilder().displayMode(LegendDisplayMode.List).placement(LegendPlacement.Bottom).showLegend(true).calcs([]).build(),
          tooltip: new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi).sort(SortOrder.Descending).build(),
        })
        .custom({
          fillOpacity: 10,
          ...(panel.stack ? { stacking: new StackingConfigBuilder().mode(StackingMode.Normal).build() } : {}),
        });
      panel.queries.forEach((q, i) => {
        p.withTarget(queryTarget({ refId: String.fromCharCode(65 + i), datasource: PROMETHEUS, expr: q.expr, legendFormat: q.legend, range: true, instant: false }));
      });
      builder.withPanel(p);
    }
  }
  // Plain JSON: drops the builders' marker methods.
  return JSON.parse(JSON.stringify(builder.build()));
}

/** A panel query of the Prometheus or Tempo data source, in the JSON Grafana stores. */
interface PanelQuery {
  readonly refId: string;
  readonly datasource: { readonly type: string; readonly uid: string };
  /** Prometheus: the PromQL expression, its legend and range mode. */
  readonly expr?: string;
  readonly legendFormat?: string;
  readonly range?: boolean;
  readonly instant?: boolean;
  /** Tempo: the query type (`serviceMap`) and its (empty) filters. */
  readonly queryType?: string;
  readonly filters?: readonly unknown[];
}

/**
 * A panel target as a builder. The SDK's per-data-source query builders each load its whole
 * dashboard-v2 schema (about 130 modules); two small query shapes don't need them.
 */
function queryTarget(query: PanelQuery): cog.Builder<cog.Dataquery> {
  return { build: () => ({ ...query, _implementsDataqueryVariant: () => undefined }) };
}

/** Every PromQL expression of a built dashboard: panel targets and `label_values()` selectors of variables. */
export function dashboardExpressions(dashboard: Record<string, any>): { where: string; expr: string }[] {
  const out: { where: string; expr: string }[] = [];
  for (const v of dashboard.templating?.list ?? []) {
    if (v.type !== 'query') continue;
    const q = typeof v.query === 'string' ? v.query : v.query?.query;
    const m = /^label_values\((.*),\s*[A-Za-z_][A-Za-z0-9_]*\)$/.exec(q ?? '');
    out.push({ where: `variable "${v.name}"`, expr: m ? m[1] : q });
  }
  for (const panel of dashboard.panels ?? []) {
    for (const t of panel.targets ?? []) {
      if (typeof t.expr === 'string') out.push({ where: `panel "${panel.title}" query ${t.refId}`, expr: t.expr });
    }
  }
  return out;
}

/** Replaces Grafana's interval variables so a panel query parses as PromQL. */
export function substituteGrafanaVariables(expr: string): string {
  return expr.replace(/\$\{__(rate_interval|interval|range)\}|\$__(rate_interval|interval|range)/g, '5m');
}
