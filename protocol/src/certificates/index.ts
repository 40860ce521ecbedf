export * from './certificate-types';
export * from './certificate-errors';
export * from './certificate-codec';
export * from './certificate-chain';
export * from './certificate-signing';
export * from './certificate-rules';
export * from './user-change-rules';
export * from './certificate-log-replay';
