import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createConnection } from 'mysql2/promise';
import { DatabaseConfig } from '@vouch/server';

export type DatabaseKind = 'sqlite' | 'mariadb';

const MARIADB_URL = process.env.VOUCH_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

export interface BenchDatabase {
    readonly kind: DatabaseKind;
    /** What the report names: engine and version. */
    readonly description: string;
    readonly config: DatabaseConfig;
    drop(): Promise<void>;
}

/** A fresh, empty database for one run: a SQLite file in a temporary folder, or `vouch_bench_<random>` on MariaDB. */
export async function createBenchDatabase(kind: DatabaseKind): Promise<BenchDatabase> {
    if (kind === 'sqlite') {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vouch-bench-'));
        return {
            kind, description: 'SQLite (better-sqlite3, WAL, file on local disk)',
            config: { kind: 'sqlite', path: path.join(dir, 'vouch.sqlite') },
            drop: async () => fs.rmSync(dir, { recursive: true, force: true })
        };
    }
    const name = `vouch_bench_${Math.random().toString(36).slice(2, 10)}`;
    const admin = await createConnection(MARIADB_URL);
    try {
        const [rows] = await admin.query('SELECT VERSION() AS version');
        await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
        return {
            kind, description: `MariaDB ${(rows as { version: string }[])[0].version} on 127.0.0.1:3306`,
            config: { kind: 'mysql', url: `${MARIADB_URL}/${name}` },
            async drop() {
                const connection = await createConnection(MARIADB_URL);
                await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
                await connection.end();
            }
        };
    } finally {
        await admin.end();
    }
}
