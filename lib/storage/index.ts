export * from './storage';
export * from './s3';
export * from './gcs';
export * from './azure';
export * from './local';
