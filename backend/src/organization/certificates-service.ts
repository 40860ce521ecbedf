import { CertificatesPage, decodeCertificate, LogHead, SignedCertificate } from '@vouch/protocol';
import { DeviceSession } from '../authentication/authentication-types';
import { CertificateLog } from './certificate-log';
import { CertificateLogEntry } from './organization-types';

/** The certificate log as each reader may see it. */
export class CertificatesService {
    constructor(protected readonly log: CertificateLog) { }

    /**
     * A topic of the log in order. Administrators get every full certificate; Members get other
     * users' device certificates redacted (device labels are private); External readers get
     * only redacted copies.
     */
    async list(session: DeviceSession, topic: string, offset: number, limit: number): Promise<CertificatesPage> {
        const rows = await this.log.entries(session.organizationId, topic, offset, limit + 1);
        const page = rows.slice(0, limit);
        const certificates = page.map(row => ({ index: row.index, signed: this.copyFor(session, row) }));
        return { certificates, ...(rows.length > limit ? { nextOffset: offset + limit } : {}) };
    }

    async head(session: DeviceSession, topic: string): Promise<LogHead> {
        const head = await this.log.head(session.organizationId, topic);
        return {
            topic, index: head.index,
            ...(head.digest !== null ? { digest: head.digest } : {}),
            ...(head.timestamp !== undefined ? { timestamp: head.timestamp } : {})
        };
    }

    protected copyFor(session: DeviceSession, row: CertificateLogEntry): SignedCertificate {
        if (session.profile === 'ADMINISTRATOR' || row.signed === row.redacted) {
            return row.signed;
        }
        if (session.profile === 'EXTERNAL') {
            return row.redacted;
        }
        if (row.kind !== 'device') {
            return row.signed;
        }
        const decoded = decodeCertificate(row.signed);
        return decoded.ok && decoded.value.content.kind === 'device' && decoded.value.content.userId === session.userId ? row.signed : row.redacted;
    }
}
