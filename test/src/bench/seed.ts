import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { DatabaseConfig } from '@vouch/server';
import { openServices, VouchServices } from '@vouch/server/lib/services';
import { TypeormOrganizationRepository } from '@vouch/server/lib/persistence/typeorm-organization-repository';
import { TypeormCertificateLogRepository } from '@vouch/server/lib/persistence/typeorm-certificate-log-repository';
import { chainDigest, COMMON_TOPIC } from '@vouch/protocol';
import { bootstrapCertificates, TestBootstrap, TestDevice } from '@vouch/server/lib/testing/organization-fixtures';
import { BatchParams, logEntries, makeUserBatch, SearchTarget, UnsignedBatch } from './seed-batch';
import { nowMs } from './stats';

/** Users per transaction: 500 users, 1,000 certificates, 500 devices (the repository inserts ≤ 500 rows at a time). */
const SEED_BATCH_USERS = 500;
/** Seeded users whose device keys are kept, for the connect scenario. */
const KEPT_DEVICES = 1_000;
/** One seeded user in this many gives a search term. */
const SEARCH_SAMPLE_EVERY = 50;

export type { SearchTarget };

export interface SeedReport {
    readonly added: number;
    readonly totalUsers: number;
    readonly elapsedMs: number;
    /** Time the writes took (the database's share; signing runs meanwhile in worker threads). */
    readonly writeMs: number;
    readonly workers: number;
}

/**
 * An organization bootstrapped through the real service, then grown with real signed users
 * written through the backend's repository, one transaction per batch (what
 * OrganizationService.store does for one user, for 500 at a time), not 100,000 socket round trips.
 */
export class SeededOrganization {
    readonly organizationId = 'Bench';
    readonly devices: TestDevice[] = [];
    readonly searchTargets: SearchTarget[] = [];
    protected userCount = 1;
    protected lastIndex = 2;

    protected constructor(protected readonly services: VouchServices, readonly boot: TestBootstrap, protected readonly bootTimestamp: number) {
        this.devices.push(boot.admin);
    }

    static async bootstrap(database: DatabaseConfig): Promise<SeededOrganization> {
        const services = await openServices(database);
        try {
            // In the past (within the 5-minute ballpark), so 100,000 seeded timestamps 1 ms apart stay in the past.
            const timestamp = Date.now() - 4 * 60_000;
            const created = await services.organizations.create('Bench', timestamp);
            if (!created.ok) {
                throw new Error(created.error.message);
            }
            const boot = bootstrapCertificates(timestamp, 'admin@bench.example', 'Bench Administrator');
            const bootstrapped = await services.organizations.bootstrap('Bench', created.value.bootstrapToken, boot.rootVerifyKey, boot.certificates, Date.now());
            if (!bootstrapped.ok) {
                throw new Error(bootstrapped.error.message);
            }
            return new SeededOrganization(services, boot, timestamp);
        } catch (error) {
            await services.database.close();
            throw error;
        }
    }

    get users(): number {
        return this.userCount;
    }

    /** Adds users until the organization has `total` (the administrator included). */
    async growTo(total: number): Promise<SeedReport> {
        const start = nowMs();
        const before = this.userCount;
        const plans: BatchParams[] = [];
        for (let serial = this.userCount, lastIndex = this.lastIndex; serial < total; serial += SEED_BATCH_USERS) {
            const count = Math.min(SEED_BATCH_USERS, total - serial);
            plans.push({
                signer: { userId: this.boot.admin.userId, deviceId: this.boot.admin.deviceId, secretKey: this.boot.admin.signingKey.secretKey },
                firstSerial: serial, count, lastIndex, firstTimestamp: this.bootTimestamp + serial,
                keepDevices: Math.max(0, Math.min(count, KEPT_DEVICES - (serial - 1))), searchSampleEvery: SEARCH_SAMPLE_EVERY
            });
            lastIndex += 2 * count;
        }
        const workers = Math.max(1, os.cpus().length);
        const pool = Array.from({ length: workers }, () => new Worker(path.join(__dirname, 'seed-worker.js')));
        let writeMs = 0;
        try {
            // Batches are made and linked in order here (each names the certificate before it), each
            // worker signs every workers-th batch, and batches are written in order as they arrive.
            const made: UnsignedBatch[] = [];
            let previous = (await this.log.head(this.organizationId, COMMON_TOPIC)).digest;
            const signed = plans.map(() => undefined as Promise<{ signed: string; redacted: string }[]> | undefined);
            const queues = pool.map(() => Promise.resolve<unknown>(undefined));
            const schedule = (i: number) => {
                made[i] = makeUserBatch(plans[i], previous);
                previous = chainDigest(made[i].contents[made[i].contents.length - 1]);
                const worker = pool[i % workers];
                const result = queues[i % workers].then(() => sign(worker, made[i].contents, plans[i].signer.secretKey));
                queues[i % workers] = result.catch(() => undefined);
                signed[i] = result;
            };
            // Two batches per worker ahead of the writer: enough to keep every core busy, bounded memory.
            for (let i = 0; i < Math.min(plans.length, 2 * workers); i++) {
                schedule(i);
            }
            for (let i = 0; i < plans.length; i++) {
                const signatures = await signed[i]!;
                if (i + 2 * workers < plans.length) {
                    schedule(i + 2 * workers);
                }
                const writeStart = nowMs();
                await this.write(plans[i], made[i], signatures);
                writeMs += nowMs() - writeStart;
                delete made[i];
            }
        } finally {
            await Promise.all(pool.map(worker => worker.terminate()));
        }
        return { added: this.userCount - before, totalUsers: this.userCount, elapsedMs: nowMs() - start, writeMs, workers };
    }

    async close(): Promise<void> {
        await this.services.database.close();
    }

    protected get log(): TypeormCertificateLogRepository {
        return new TypeormCertificateLogRepository(this.services.database);
    }

    protected async write(plan: BatchParams, batch: UnsignedBatch, signatures: { signed: string; redacted: string }[]): Promise<void> {
        const repository = new TypeormOrganizationRepository(this.services.database);
        const entries = logEntries(batch.contents, signatures, this.lastIndex);
        const last = entries[entries.length - 1];
        await this.services.database.withTransaction(async () => {
            // The same optimistic step as every write to the log: it fails if anything else moved it.
            const head = await this.log.head(this.organizationId, COMMON_TOPIC);
            if (head.index !== this.lastIndex || !await this.log.advance(this.organizationId, COMMON_TOPIC, head, { index: last.index, digest: last.digest, timestamp: last.timestamp })) {
                throw new Error('the certificate log moved while seeding');
            }
            await this.log.append(this.organizationId, COMMON_TOPIC, entries);
            await repository.addUsers(this.organizationId, batch.users, batch.devices);
        });
        this.lastIndex += 2 * plan.count;
        this.userCount += plan.count;
        this.devices.push(...batch.kept);
        this.searchTargets.push(...batch.searchTargets);
    }
}

function sign(worker: Worker, contents: UnsignedBatch['contents'], secretKey: Uint8Array): Promise<{ signed: string; redacted: string }[]> {
    return new Promise((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        worker.once('error', onError);
        worker.once('message', (signatures: { signed: string; redacted: string }[]) => {
            worker.off('error', onError);
            resolve(signatures);
        });
        worker.postMessage({ contents, secretKey });
    });
}
