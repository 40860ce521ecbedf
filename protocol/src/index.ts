export * from './encoding';
export * from './canonical-json';
export * from './outcome';
export * from './identity';
export * from './crypto';
export * from './certificates';
export * from './api';
export * from './join-requests';
