export * from './device-file';
export * from './bootstrap-certificates';
export * from './bootstrap-form';
export * from './api-error-messages';
export * from './vouch-context-keys';
