import {
  DashboardBuilder, DashboardCursorSync, DatasourceVariableBuilder, QueryVariableBuilder, RowBuilder,
  VariableRefresh, VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import {
  LegendDisplayMode, LegendPlacement, SortOrder, StackingConfigBuilder, StackingMode, TooltipDisplayMode,
  VizLegendOptionsBuilder, VizTooltipOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import { PanelBuilder as NodeGraphPanelBuilder } from '@grafana/grafana-foundation-sdk/nodegraph';
import { DataqueryBuilder as PrometheusQueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { DataqueryBuilder as TempoQueryBuilder } from '@grafana/grafana-foundation-sdk/tempo';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

/** One PromQL query of a panel. */
export interface QuerySpec {
  readonly expr: string;
  readonly legend: string;
}

/** A time-series panel on the Prometheus data source. */
export interface TimeseriesSpec {
  readonly kind: 'timeseries';
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  readonly queries: readonly QuerySpec[];
  /** Grid width (of 24). @default 8 */
  readonly width?: number;
  readonly stack?: boolean;
}

/** A node graph of Tempo's service map (the Tempo data source builds it from the service-graph metrics). */
export interface ServiceMapSpec {
  readonly kind: 'serviceMap';
  readonly title: string;
  readonly description: string;
}

export type PanelSpec = TimeseriesSpec | ServiceMapSpec;

/** A row of panels. */
export interface RowSpec {
  readonly title: string;
  readonly panels: readonly PanelSpec[];
}

/** A Prometheus query variable. */
export interface VariableSpec {
  readonly name: string;
  readonly label: string;
  /** `label_values(<selector>, <label>)`. */
  readonly query: string;
  readonly current?: string;
  readonly multi?: boolean;
}

/** A dashboard before it is built. */
export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly prometheusUid: string;
  readonly tempoUid: string;
  readonly variables: readonly VariableSpec[];
  readonly rows: readonly RowSpec[];
}

const PROMETHEUS = { type: 'prometheus', uid: '${datasource}' };

/**
 * Builds a Grafana dashboard JSON model with the typed builders of
 * @grafana/grafana-foundation-sdk. Panels get sequential ids (deterministic
 * output); every Prometheus panel reads the `datasource` variable.
 */
export function buildDashboard(spec: DashboardSpec): Record<string, any> {
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
        builder.withPanel(new NodeGraphPanelBuilder()
          .id(id++)
          .title(panel.title)
          .description(panel.description)
          .datasource({ type: 'tempo', uid: spec.tempoUid })
          .span(24)
          .height(16)
          .withTarget(new TempoQueryBuilder().refId('A').queryType('serviceMap').datasource({ type: 'tempo', uid: spec.tempoUid })));
        continue;
      }
      let p = new TimeseriesPanelBuilder()
        .id(id++)
        .title(panel.title)
        .description(panel.description)
        .datasource(PROMETHEUS)
        .unit(panel.unit)
        .min(0)
        .span(panel.width ?? 8)
        .height(8)
        .fillOpacity(10)
        .legend(new VizLegendOptionsBuilder().displayMode(LegendDisplayMode.List).placement(LegendPlacement.Bottom).showLegend(true).calcs([]))
        .tooltip(new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi).sort(SortOrder.Descending));
      if (panel.stack) p = p.stacking(new StackingConfigBuilder().mode(StackingMode.Normal));
      panel.queries.forEach((q, i) => {
        p.withTarget(new PrometheusQueryBuilder()
          .refId(String.fromCharCode(65 + i))
          .datasource(PROMETHEUS)
          .expr(q.expr)
          .legendFormat(q.legend)
          .range());
      });
      builder.withPanel(p);
    }
  }
  // Plain JSON: drops the builders' marker methods.
  return JSON.parse(JSON.stringify(builder.build()));
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
