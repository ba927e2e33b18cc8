export * from './network-peer';
export * from './tempo-network-policies';
