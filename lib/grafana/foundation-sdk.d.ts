// Type declarations for the subpath imports of @grafana/grafana-foundation-sdk.
// The package declares its subpaths (`@grafana/grafana-foundation-sdk/dashboard`, ...) only in
// package.json `exports`, which TypeScript's `moduleResolution: node` does not read; Node's
// require() does, so at run time the subpaths load as usual. These ambient modules point the
// type checker at the same files. (With `moduleResolution: node16` they could be deleted.)
declare module '@grafana/grafana-foundation-sdk/dashboard' {
  export * from '@grafana/grafana-foundation-sdk/dist/dashboard';
}
declare module '@grafana/grafana-foundation-sdk/common' {
  export * from '@grafana/grafana-foundation-sdk/dist/common';
}
declare module '@grafana/grafana-foundation-sdk/cog' {
  export * from '@grafana/grafana-foundation-sdk/dist/cog';
}
