export { VouchServer, VouchServerOptions, PendingBootstrapLink } from './server';
export { loadServerConfig, parseDatabaseUrl, ServerConfig, DatabaseConfig, ConfigError } from './config';
export { ServerLogger, silentLogger } from './common/server-logger';
export { nodeEd25519 } from './crypto/node-ed25519';
