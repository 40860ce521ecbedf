import { CertificatesAddedEvent, OrganizationId } from '@vouch/protocol';

/** Told after a commit that stored certificates; the transport fans it out to every instance. */
export interface CertificateEvents {
    onDidAddCertificates(organizationId: OrganizationId, event: CertificatesAddedEvent): void;
}
