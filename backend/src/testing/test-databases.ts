import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createConnection } from 'mysql2/promise';
import { DatabaseConfig } from '../config';

/** Where integration suites find MariaDB and Redis (this machine's services by default). */
export const MARIADB_URL = process.env.VOUCH_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
export const REDIS_URL = process.env.VOUCH_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestDatabase {
    readonly config: DatabaseConfig;
    drop(): Promise<void>;
}

/** A fresh MariaDB database per run, dropped afterwards. Unreachable MariaDB fails the suite: never skipped. */
export async function freshMariaDb(): Promise<TestDatabase> {
    const name = `vouch_test_${Math.random().toString(36).slice(2, 10)}`;
    const admin = await createConnection(MARIADB_URL);
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.end();
    return {
        config: { kind: 'mysql', url: `${MARIADB_URL}/${name}` },
        async drop() {
            const connection = await createConnection(MARIADB_URL);
            await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
            await connection.end();
        }
    };
}

/** A SQLite file in a fresh temporary folder, removed afterwards. */
export async function freshSqliteFile(): Promise<TestDatabase> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vouch-test-'));
    return { config: { kind: 'sqlite', path: path.join(dir, 'vouch.sqlite') }, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Every integration suite runs once per database the server supports. */
export const TEST_DATABASES: readonly [string, () => Promise<TestDatabase>][] = [['SQLite', freshSqliteFile], ['MariaDB', freshMariaDb]];
