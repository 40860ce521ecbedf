export * from './workspace-keys';
export * from './manifests';
export * from './block-cipher';
export * from './reencryption';
