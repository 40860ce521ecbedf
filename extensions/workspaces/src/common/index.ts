/**
 * The workspace engine: what a member's client does with an end-to-end encrypted workspace
 * (keys, manifests, blocks, sync), with no Theia widgets inside, so the browser, the desktop
 * app, the tests and the benchmarks run the same code.
 */
export * from './workspace-engine-api';
export * from './workspace-engine';
export * from './memory-local-store';
export * from './workspace-paths';
export * from './conflict-names';
