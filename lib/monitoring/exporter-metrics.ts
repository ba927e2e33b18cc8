/**
 * Series of the exporter sidecars the library deploys beside Tempo, read from their sources (only these are
 * queried by the library's alerts and dashboard panels, and checked like Tempo's names at synth time):
 *
 * - prom/memcached-exporter v0.15.x (`pkg/exporter/exporter.go`, namespace `memcached`);
 * - nginx/nginx-prometheus-exporter 1.4.x (`collector/nginx.go`, namespace `nginx`) reading open-source nginx's
 *   `stub_status`: connections and a request counter only. stub_status has no status codes, so no 5xx ratio
 *   can be computed from it (that needs NGINX Plus or log-based metrics).
 *
 * `up` is Prometheus' own scrape series.
 */
export const EXPORTER_SERIES = {
  /** 1 when the target was scraped (Prometheus). */
  up: 'up',
  /** 1 when the exporter reached memcached. */
  memcachedUp: 'memcached_up',
  /** Open connections (gauge). */
  memcachedConnections: 'memcached_current_connections',
  /** memcached's `-c` connection limit (gauge). */
  memcachedMaxConnections: 'memcached_max_connections',
  /** Times memcached hit its connection limit and stopped accepting (counter). */
  memcachedListenerDisabled: 'memcached_connections_listener_disabled_total',
  /** Valid items removed to free memory (counter). */
  memcachedEvictions: 'memcached_items_evicted_total',
  /** Commands by `command` (get, set, ...) and `status` (hit, miss, ...) (counter). */
  memcachedCommands: 'memcached_commands_total',
  /** Bytes stored (gauge). */
  memcachedBytes: 'memcached_current_bytes',
  /** memcached's `-m` memory limit in bytes (gauge). */
  memcachedLimitBytes: 'memcached_limit_bytes',
  /** 1 when the exporter read nginx's stub_status. */
  nginxUp: 'nginx_up',
  /** Active client connections, waiting ones included (gauge). */
  nginxActive: 'nginx_connections_active',
  /** Accepted client connections (counter, no `_total` suffix). */
  nginxAccepted: 'nginx_connections_accepted',
  /** Handled client connections (counter); below accepted when nginx hit `worker_connections`. */
  nginxHandled: 'nginx_connections_handled',
  /** Client requests (counter). */
  nginxRequests: 'nginx_http_requests_total',
} as const;

/** Every exporter series name above. */
export const EXPORTER_SERIES_NAMES: readonly string[] = Object.values(EXPORTER_SERIES);
