import { MoreThan } from 'typeorm';
import { CertificateKind, OrganizationId } from '@vouch/protocol';
import { CertificateLogRepository } from '../organization/certificate-log';
import { CertificateLogEntry, EMPTY_TOPIC, TopicHead } from '../organization/organization-types';
import { chunks, Database } from './database';
import { isUniqueViolation } from './db-errors';
import { CertificateEntity, CertificateTopicEntity } from './entities';

export class TypeormCertificateLogRepository implements CertificateLogRepository {
    constructor(protected readonly db: Database) { }

    async head(organizationId: OrganizationId, topic: string): Promise<TopicHead> {
        const row = await this.db.manager.findOneBy(CertificateTopicEntity, { organizationId, topic });
        return row ? { index: row.lastIndex, digest: row.lastDigest, timestamp: row.lastTimestamp } : EMPTY_TOPIC;
    }

    async advance(organizationId: OrganizationId, topic: string, expected: TopicHead, next: TopicHead & { digest: string; timestamp: number }): Promise<boolean> {
        if (expected.index === 0) {
            // A topic's first writer creates its head; of two, the primary key lets one in.
            try {
                await this.db.manager.insert(CertificateTopicEntity, { organizationId, topic, lastIndex: next.index, lastDigest: next.digest, lastTimestamp: next.timestamp });
                return true;
            } catch (error) {
                if (isUniqueViolation(error)) {
                    return false;
                }
                throw error;
            }
        }
        const result = await this.db.manager.createQueryBuilder()
            .update(CertificateTopicEntity)
            .set({ lastIndex: next.index, lastDigest: next.digest, lastTimestamp: next.timestamp })
            .where('organization_id = :organizationId AND topic = :topic AND last_index = :expected', { organizationId, topic, expected: expected.index })
            .execute();
        return result.affected === 1;
    }

    async append(organizationId: OrganizationId, topic: string, entries: readonly CertificateLogEntry[]): Promise<void> {
        for (const chunk of chunks(entries)) {
            await this.db.manager.insert(CertificateEntity, chunk.map(entry => ({
                organizationId, topic, index: entry.index, kind: entry.kind, timestamp: entry.timestamp, author: entry.author, subject: entry.subject,
                digest: entry.digest, signed: entry.signed, redacted: entry.redacted
            })));
        }
    }

    async entries(organizationId: OrganizationId, topic: string, offset: number, limit: number): Promise<CertificateLogEntry[]> {
        const rows = await this.db.manager.find(CertificateEntity, {
            where: { organizationId, topic, index: MoreThan(offset) }, order: { index: 'ASC' }, take: limit
        });
        return rows.map(toEntry);
    }

    async newest(organizationId: OrganizationId, topic: string, kind: CertificateKind): Promise<CertificateLogEntry | undefined> {
        const row = await this.db.manager.findOne(CertificateEntity, { where: { organizationId, topic, kind }, order: { index: 'DESC' } });
        return row ? toEntry(row) : undefined;
    }
}

function toEntry(row: CertificateEntity): CertificateLogEntry {
    return {
        index: row.index, kind: row.kind as CertificateKind, timestamp: row.timestamp, author: row.author, subject: row.subject, digest: row.digest,
        signed: row.signed, redacted: row.redacted
    };
}
