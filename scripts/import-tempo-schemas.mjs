#!/usr/bin/env node
// import-tempo-schemas.mjs — copies Tempo's configuration key trees into the project.
//
//   node scripts/import-tempo-schemas.mjs [REFERENCE_DIR]
//
// REFERENCE_DIR defaults to ../shared/reference/tempo-config (relative to the project root).
// This script is the ONLY place that reads ../shared: the library and its tests use the
// copies written to lib/config/schemas/ (users of the library do not have ../shared).
// Re-run it when the reference data changes, then commit the regenerated files.
//
// Transformation (the output is what lib/config/schema-validation.ts needs, nothing more):
//   - kept on every schema node: type, properties, additionalProperties, items, oneOf,
//     x-receiverTypes (on distributor.receivers);
//   - x-goType "github.com/prometheus/common/model.Duration" on a duration leaf becomes
//     "x-duration": "prometheus" (those also accept d/w/y units; plain time.Duration does not);
//   - every other annotation (x-goType, x-unmarshal, x-notes, x-variant, x-keyType, x-stats, ...)
//     is dropped; the root keeps x-tempoVersion and a $comment naming its origin;
//   - written minified (JSON without whitespace), same file names.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const refDir = path.resolve(projectRoot, process.argv[2] ?? '../shared/reference/tempo-config');
const outDir = path.join(projectRoot, 'lib', 'config', 'schemas');

const VERSIONS = ['2.6.1', '2.7.2', '2.8.4', '2.9.5', '2.10.8', '3.0.3'];
const KINDS = ['tempo', 'overrides'];
const PROMETHEUS_DURATION = 'github.com/prometheus/common/model.Duration';
const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean', 'duration', 'any']);

/** Returns the reduced copy of one schema node; `where` is only used in error messages. */
function reduce(node, where) {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) {
    throw new Error(`${where}: schema node is not an object`);
  }
  const out = {};
  if (Array.isArray(node.oneOf)) {
    out.oneOf = node.oneOf.map((alt, i) => reduce(alt, `${where}|oneOf[${i}]`));
    return out;
  }
  if (!TYPES.has(node.type)) throw new Error(`${where}: unsupported type ${JSON.stringify(node.type)}`);
  out.type = node.type;
  if (node.type === 'duration' && node['x-goType'] === PROMETHEUS_DURATION) out['x-duration'] = 'prometheus';
  if (node.properties !== undefined) {
    out.properties = {};
    for (const [key, child] of Object.entries(node.properties)) {
      out.properties[key] = reduce(child, where ? `${where}.${key}` : key);
    }
  }
  if (node.additionalProperties !== undefined) {
    const ap = node.additionalProperties;
    out.additionalProperties = typeof ap === 'boolean' ? ap : reduce(ap, `${where}.*`);
  }
  if (node.items !== undefined) out.items = reduce(node.items, `${where}[]`);
  if (node['x-receiverTypes'] !== undefined) {
    const types = node['x-receiverTypes'];
    if (!Array.isArray(types) || !types.every((t) => typeof t === 'string')) {
      throw new Error(`${where}: x-receiverTypes is not a list of strings`);
    }
    out['x-receiverTypes'] = [...types];
  }
  return out;
}

fs.mkdirSync(outDir, { recursive: true });
for (const kind of KINDS) {
  for (const version of VERSIONS) {
    const name = `${kind}-v${version}.schema.json`;
    const source = JSON.parse(fs.readFileSync(path.join(refDir, name), 'utf8'));
    const reduced = reduce(source, '');
    const result = {
      $comment:
        `Keys of Grafana Tempo v${version} ${kind === 'tempo' ? 'main configuration file' : 'per-tenant runtime overrides file'}; ` +
        'reduced copy of the reference tempo-config key tree made by scripts/import-tempo-schemas.mjs, do not hand-edit.',
      'x-tempoVersion': source['x-tempoVersion'] ?? `v${version}`,
      ...reduced,
    };
    const text = JSON.stringify(result);
    fs.writeFileSync(path.join(outDir, name), text + '\n');
    console.log(`${name}: ${fs.statSync(path.join(refDir, name)).size} -> ${text.length + 1} bytes`);
  }
}
