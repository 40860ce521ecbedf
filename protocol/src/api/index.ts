export * from './api-common';
export * from './api-errors';
export * from './api-schemas';
export * from './organization-api';
export * from './users-api';
export * from './rights';
export * from './auth-challenge';
export * from './links';
