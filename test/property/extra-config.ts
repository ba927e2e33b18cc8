/**
 * What the generators read from a version's key schema (lib/config/schemas): the receiver types its
 * distributor registers, and the extraConfig keys they may set: scalar leaves (boolean, integer,
 * number, duration) in the tuning sections, minus everything the library derives or wires (ports,
 * rings, receivers, storage backend, paths, credentials, retention, ...), which issue 9 defect 8 wants
 * refused.
 */
import * as path from 'path';
import type { TempoSchemaVersion } from '../../lib';
import { OWNED_CONFIG_KEYS } from '../../lib/config/owned-keys';

// Keys the library derives and refuses in extraConfig (its one table), e.g. local_blocks.filter_server_spans.
const owned = (at: string) => OWNED_CONFIG_KEYS.some((k) => at === k.path || at.startsWith(`${k.path}.`));

export interface SchemaLeaf {
  readonly path: string;
  readonly type: 'boolean' | 'integer' | 'number' | 'duration';
}

const SECTIONS = /^(querier|query_frontend|compactor\.compaction|ingester|distributor|metrics_generator\.(processor|registry)|storage\.trace\.(pool|search|block|blocklist_poll)|server)\.|^(stream_over_http_enabled|use_otel_tracer)$/;
const DERIVED = /tls|listen|port|address|ring|kvstore|lifecycler|memberlist|receivers|backend|secret|password|key|token|prefix|path|replication|zone|endpoint|external|join|cluster|availability|overrides|block_retention|flush_all_on_shutdown|max_block_duration|target|multitenancy|auth|cache|wal|remote_write|register_instrumentation|forwarder|usage_report|grpc_client_config|kafka|proxy_protocol/;

interface Node {
  readonly type?: string;
  readonly properties?: Record<string, Node>;
  readonly 'x-receiverTypes'?: readonly string[];
}

function schema(version: TempoSchemaVersion): Node {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(__dirname, '..', '..', 'lib', 'config', 'schemas', `tempo-v${version}.schema.json`));
}

const memo = new Map<string, readonly SchemaLeaf[]>();

/** Leaves of the tempo.yaml key schema of `version` that extraConfig may set in a valid configuration. */
export function extraConfigLeaves(version: TempoSchemaVersion): readonly SchemaLeaf[] {
  const hit = memo.get(version);
  if (hit) return hit;
  const leaves: SchemaLeaf[] = [];
  const walk = (node: Node, at: string) => {
    if (node.properties) {
      for (const [k, child] of Object.entries(node.properties)) walk(child, at ? `${at}.${k}` : k);
    } else if (['boolean', 'integer', 'number', 'duration'].includes(node.type ?? '') && SECTIONS.test(at) && !DERIVED.test(at) && !owned(at)) {
      leaves.push({ path: at, type: node.type as SchemaLeaf['type'] });
    }
  };
  walk(schema(version), '');
  leaves.sort((a, b) => a.path.localeCompare(b.path));
  memo.set(version, leaves);
  return leaves;
}

/** Receiver types the distributor of `version` registers. */
export function schemaReceiverTypes(version: TempoSchemaVersion): readonly string[] {
  return schema(version).properties?.distributor?.properties?.receivers?.['x-receiverTypes'] ?? [];
}
