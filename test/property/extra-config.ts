/**
 * The extraConfig keys the generators may set: scalar leaves (boolean, integer, number, duration) of a
 * version's key schema, in the tuning sections, minus everything the library derives or wires
 * (ports, rings, receivers, storage backend, paths, credentials, retention, ...) which issue 9 defect 8
 * wants refused.
 */
import schema261 from '../../lib/config/schemas/tempo-v2.6.1.schema.json';
import schema2108 from '../../lib/config/schemas/tempo-v2.10.8.schema.json';

export interface SchemaLeaf {
  readonly path: string;
  readonly type: 'boolean' | 'integer' | 'number' | 'duration';
}

const SECTIONS = /^(querier|query_frontend|compactor\.compaction|ingester|distributor|metrics_generator\.(processor|registry)|storage\.trace\.(pool|search|block|blocklist_poll)|server)\.|^(stream_over_http_enabled|use_otel_tracer)$/;
const DERIVED = /tls|listen|port|address|ring|kvstore|lifecycler|memberlist|receivers|backend|secret|password|key|token|prefix|path|replication|zone|endpoint|external|join|cluster|availability|overrides|block_retention|flush_all_on_shutdown|max_block_duration|target|multitenancy|auth|cache|wal|remote_write|register_instrumentation|forwarder|usage_report|grpc_client_config|kafka|proxy_protocol/;

interface Node {
  readonly type?: string;
  readonly properties?: Record<string, Node>;
}

const memo = new Map<string, readonly SchemaLeaf[]>();

/** Leaves of the tempo.yaml key schema of `version` that extraConfig may set in a valid configuration. */
export function extraConfigLeaves(version: '2.6.1' | '2.10.8'): readonly SchemaLeaf[] {
  const hit = memo.get(version);
  if (hit) return hit;
  const leaves: SchemaLeaf[] = [];
  const walk = (node: Node, path: string) => {
    if (node.properties) {
      for (const [k, child] of Object.entries(node.properties)) walk(child, path ? `${path}.${k}` : k);
    } else if (['boolean', 'integer', 'number', 'duration'].includes(node.type ?? '') && SECTIONS.test(path) && !DERIVED.test(path)) {
      leaves.push({ path, type: node.type as SchemaLeaf['type'] });
    }
  };
  walk((version === '2.6.1' ? schema261 : schema2108) as Node, '');
  leaves.sort((a, b) => a.path.localeCompare(b.path));
  memo.set(version, leaves);
  return leaves;
}
