export * from './users-model';
export * from './users-widget';
export * from './users-view-contribution';
export * from './revocation-impact';
