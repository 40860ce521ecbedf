export * from './api-errors';
export * from './api-schemas';
export * from './auth-challenge';
export * from './links';
