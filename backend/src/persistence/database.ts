import { AsyncLocalStorage } from 'async_hooks';
import { DataSource, EntityManager } from 'typeorm';
import { DatabaseConfig } from '../config';
import { Transactions } from '../common/transactions';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** SQLite refuses very large multi-row inserts; MySQL packets have limits too. */
export const INSERT_CHUNK_ROWS = 500;

export function createDataSource(config: DatabaseConfig, runMigrations = true): DataSource {
    const common = { entities: ENTITIES, migrations: MIGRATIONS, migrationsRun: runMigrations, synchronize: false, logging: false } as const;
    if (config.kind === 'sqlite') {
        return new DataSource({
            type: 'better-sqlite3',
            database: config.path,
            enableWAL: config.path !== ':memory:',
            // busy timeout: another process (a CLI command) may hold the write lock briefly.
            timeout: 5000,
            ...common
        });
    }
    return new DataSource({ type: 'mysql', url: config.url, charset: 'utf8mb4', supportBigNumbers: true, bigNumberStrings: true, ...common });
}

/**
 * The open database. Repositories take `manager`, which is the current transaction's when
 * called inside `withTransaction`, so services never pass a transaction around.
 */
export class Database implements Transactions {
    protected readonly current = new AsyncLocalStorage<EntityManager>();
    /** better-sqlite3 has a single connection: its transactions must not interleave. */
    protected sqliteQueue: Promise<unknown> = Promise.resolve();

    constructor(readonly dataSource: DataSource) { }

    static async open(config: DatabaseConfig, runMigrations = true): Promise<Database> {
        const dataSource = createDataSource(config, runMigrations);
        await dataSource.initialize();
        return new Database(dataSource);
    }

    get manager(): EntityManager {
        return this.current.getStore() ?? this.dataSource.manager;
    }

    get isSqlite(): boolean {
        return this.dataSource.options.type === 'better-sqlite3';
    }

    withTransaction<T>(work: () => Promise<T>): Promise<T> {
        if (this.current.getStore()) {
            return work();
        }
        const run = () => this.dataSource.transaction(manager => this.current.run(manager, work));
        if (!this.isSqlite) {
            return run();
        }
        const result = this.sqliteQueue.then(run, run);
        this.sqliteQueue = result.catch(() => undefined);
        return result;
    }

    /**
     * A single statement that must not join someone else's transaction: MySQL runs it on a
     * pooled connection of its own; better-sqlite3 has one connection, so it waits behind the
     * open transactions instead of landing inside one.
     */
    standalone<T>(work: () => Promise<T>): Promise<T> {
        if (!this.isSqlite || this.current.getStore()) {
            return work();
        }
        const result = this.sqliteQueue.then(work, work);
        this.sqliteQueue = result.catch(() => undefined);
        return result;
    }

    async close(): Promise<void> {
        if (this.dataSource.isInitialized) {
            await this.dataSource.destroy();
        }
    }
}

export function chunks<T>(rows: readonly T[], size = INSERT_CHUNK_ROWS): T[][] {
    const out: T[][] = [];
    for (let i = 0; i < rows.length; i += size) {
        out.push(rows.slice(i, i + size));
    }
    return out;
}
