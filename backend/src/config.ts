import * as path from 'path';
import { JoinRequestsConfig, loadJoinRequestsConfig } from './join-requests/join-requests-config';

export type DatabaseConfig =
    | { readonly kind: 'sqlite'; /** Absolute path, or ':memory:'. */ readonly path: string }
    | { readonly kind: 'mysql'; readonly url: string };

export interface ServerConfig {
    readonly port: number;
    /** Interface to listen on when the server owns its HTTP server. */
    readonly host: string;
    readonly dataDir: string;
    readonly database: DatabaseConfig;
    /** Base of the links the server hands out (bootstrap, invitations). */
    readonly publicUrl: string;
    /** When set, events cross server instances through Redis. */
    readonly redisUrl?: string;
    /** Organization created on first start when none exists. */
    readonly initialOrganization: string;
    /** Origins allowed to open a socket besides the public URL's own (same-origin by default). */
    readonly allowedOrigins: readonly string[];
    /** SMTP server for invitation emails; unset: messages go to `<dataDir>/outbox/` and their links are logged. */
    readonly smtpUrl?: string;
    /** From header of the emails the server sends. */
    readonly mailFrom: string;
    /** Trust anchors, CRLs and identity providers that prove join requests. */
    readonly joinRequests: JoinRequestsConfig;
}

export class ConfigError extends Error {
    constructor(readonly variable: string, message: string) {
        super(`${variable}: ${message}`);
        this.name = 'ConfigError';
    }
}

const ORGANIZATION_NAME = /^[A-Za-z0-9_-]{1,32}$/;

function parsePort(value: string): number {
    if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
        throw new ConfigError('PORT', `expected a port number between 0 and 65535, got "${value}"`);
    }
    return Number(value);
}

function parseHttpUrl(variable: string, value: string): string {
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        throw new ConfigError(variable, `not a URL: "${value}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new ConfigError(variable, `expected an http(s) URL, got "${value}"`);
    }
    return value.replace(/\/+$/, '');
}

export function parseDatabaseUrl(value: string, dataDir: string): DatabaseConfig {
    if (value === 'sqlite::memory:') {
        return { kind: 'sqlite', path: ':memory:' };
    }
    if (value.startsWith('sqlite:')) {
        const file = value.slice('sqlite:'.length);
        if (!file) {
            throw new ConfigError('VOUCH_DB_URL', 'expected sqlite:<path>, sqlite::memory: or mysql://user:pass@host:port/db');
        }
        return { kind: 'sqlite', path: path.resolve(dataDir, file) };
    }
    if (value.startsWith('mysql://') || value.startsWith('mariadb://')) {
        let url: URL;
        try {
            url = new URL(value.replace(/^mariadb:/, 'mysql:'));
        } catch {
            throw new ConfigError('VOUCH_DB_URL', 'not a valid mysql:// URL');
        }
        if (!url.hostname || url.pathname.length <= 1) {
            throw new ConfigError('VOUCH_DB_URL', 'a mysql:// URL needs a host and a database name (mysql://user:pass@host:port/db)');
        }
        return { kind: 'mysql', url: url.toString() };
    }
    throw new ConfigError('VOUCH_DB_URL', `unsupported database URL "${value.replace(/\/\/[^@]*@/, '//…@')}": expected sqlite:<path>, sqlite::memory: or mysql://user:pass@host:port/db`);
}

export function loadServerConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<ServerConfig> = {}): ServerConfig {
    const dataDir = overrides.dataDir ?? path.resolve(env.VOUCH_DATA_DIR || path.join(process.cwd(), '.vouch'));
    const port = overrides.port ?? (env.PORT ? parsePort(env.PORT) : 3000);
    const host = overrides.host ?? (env.VOUCH_HOST || '127.0.0.1');
    const database = overrides.database ?? parseDatabaseUrl(env.VOUCH_DB_URL || 'sqlite:vouch.sqlite', dataDir);
    const publicUrl = overrides.publicUrl ?? parseHttpUrl('VOUCH_PUBLIC_URL', env.VOUCH_PUBLIC_URL || `http://127.0.0.1:${port}`);
    let redisUrl = overrides.redisUrl ?? (env.VOUCH_REDIS_URL || undefined);
    if (redisUrl !== undefined && !/^rediss?:\/\/./.test(redisUrl)) {
        throw new ConfigError('VOUCH_REDIS_URL', `expected redis://host:port, got "${redisUrl}"`);
    }
    redisUrl = redisUrl || undefined;
    const initialOrganization = overrides.initialOrganization ?? (env.VOUCH_ORGANIZATION || 'MyOrganization');
    if (!ORGANIZATION_NAME.test(initialOrganization)) {
        throw new ConfigError('VOUCH_ORGANIZATION', `"${initialOrganization}" is not a valid organization name (1 to 32 letters, digits, "-" or "_")`);
    }
    const allowedOrigins = overrides.allowedOrigins ??
        (env.VOUCH_ALLOWED_ORIGINS ? env.VOUCH_ALLOWED_ORIGINS.split(',').map(origin => parseHttpUrl('VOUCH_ALLOWED_ORIGINS', origin.trim())) : []);
    const joinRequests = overrides.joinRequests ?? loadJoinRequestsConfig(env, publicUrl, dataDir);
    const smtpUrl = overrides.smtpUrl ?? (env.VOUCH_SMTP_URL ? parseSmtpUrl(env.VOUCH_SMTP_URL) : undefined);
    const mailFrom = overrides.mailFrom ?? env.VOUCH_MAIL_FROM ?? `Vouch <no-reply@${/^[\d.]+$|^\[/.test(new URL(publicUrl).hostname) ? 'localhost' : new URL(publicUrl).hostname}>`;
    return { port, host, dataDir, database, publicUrl, redisUrl, initialOrganization, allowedOrigins, joinRequests, smtpUrl, mailFrom };
}

function parseSmtpUrl(value: string): string {
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        throw new ConfigError('VOUCH_SMTP_URL', 'not a URL: expected smtp://user:pass@host:port or smtps://…');
    }
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
        throw new ConfigError('VOUCH_SMTP_URL', `expected smtp:// or smtps://, got "${url.protocol}"`);
    }
    return value;
}
