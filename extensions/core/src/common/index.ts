export * from './device-file';
export * from './bootstrap-certificates';
export * from './bootstrap-form';
