import {
    CertificateContext, DEFAULT_TIMESTAMP_BALLPARK_MS, DeviceId, fail, KnownDevice, KnownUser, ok, OrganizationId, Outcome, SignatureScheme, SignedCertificate, UserId
} from '@vouch/protocol';
import { OrganizationRepository } from './organization-repository';
import { TopicHead } from './organization-types';

export interface OrganizationNotFound {
    readonly code: 'ORGANIZATION_NOT_FOUND';
    readonly message: string;
}

/**
 * What the shared certificate rules need to know of a bootstrapped organization, read after the
 * log's head (anything that changes later moves the head, and the write retries): its root key,
 * the head, and the devices and users the new certificates name.
 */
export class CertificateContexts {
    constructor(
        protected readonly repository: OrganizationRepository,
        protected readonly scheme: SignatureScheme,
        protected readonly ballparkMs = DEFAULT_TIMESTAMP_BALLPARK_MS
    ) { }

    async read(organizationId: OrganizationId, head: TopicHead, now: number, known: { users: readonly UserId[]; devices: readonly DeviceId[] }):
        Promise<Outcome<CertificateContext, OrganizationNotFound>> {
        const organization = await this.repository.get(organizationId);
        if (!organization?.rootVerifyKey) {
            return fail({ code: 'ORGANIZATION_NOT_FOUND', message: `No bootstrapped organization "${organizationId}" on this server` });
        }
        const [devices, users] = await Promise.all([
            this.repository.knownDevices(organizationId, known.devices),
            this.repository.knownUsers(organizationId, known.users)
        ]);
        return ok(this.context(organization.rootVerifyKey, head, now, devices, users));
    }

    /**
     * Device certificates from these devices back to the root key, redacted, so a reader can
     * re-check what they signed (users.list rows, a join acceptance, a workspace's log).
     */
    async deviceChains(organizationId: OrganizationId, deviceIds: readonly DeviceId[]): Promise<SignedCertificate[]> {
        const seen = new Set<DeviceId>();
        const chain: SignedCertificate[] = [];
        let wanted = [...new Set(deviceIds)];
        while (wanted.length > 0) {
            wanted.forEach(id => seen.add(id));
            const rows = await this.repository.redactedDeviceCertificates(organizationId, wanted);
            chain.push(...rows.map(row => row.redacted));
            wanted = [...new Set(rows.map(row => row.authorDevice).filter((id): id is DeviceId => id !== undefined && !seen.has(id)))];
        }
        return chain;
    }

    /** A context over what the caller knows already (a bootstrap: the root key it was given, nobody yet). */
    context(rootVerifyKey: Uint8Array, head: TopicHead, now: number,
        devices: ReadonlyMap<DeviceId, KnownDevice> = new Map(), users: ReadonlyMap<UserId, KnownUser> = new Map()): CertificateContext {
        return {
            scheme: this.scheme, rootVerifyKey, now, ballparkMs: this.ballparkMs, head,
            device: id => devices.get(id),
            user: id => users.get(id)
        };
    }
}
