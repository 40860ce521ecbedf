import { nls } from '@theia/core';
import { inject, injectable } from '@theia/core/shared/inversify';
import { Certificate, linkCertificates, LogPosition, Reply, SignedCertificate, Unlinked, UserProfile } from '@vouch/protocol';
import { VouchSession } from '@vouch/core/lib/browser/vouch-session';
import { describeApiError } from '@vouch/core/lib/common/api-error-messages';

export type UserChangeResult = { readonly ok: true; readonly count: number } | { readonly ok: false; readonly message: string };

/**
 * Signs profile changes and revocations on this device and sends each selection as one batch
 * (the server applies it all or none), chained after the organization log's head; when another
 * change was stored first, the batch is signed again after it.
 */
@injectable()
export class UserChangesClient {
    @inject(VouchSession) protected readonly session: VouchSession;

    async changeProfiles(userIds: readonly string[], newProfile: UserProfile): Promise<UserChangeResult> {
        const result = await this.send(timestamp => userIds.map((userId): Unlinked<Certificate> =>
            ({ kind: 'user_update', version: 1, author: this.session.device!.deviceId, timestamp, userId, newProfile })),
        certificates => this.session.request('users.changeProfiles', { certificates }));
        return result.ok ? { ok: true, count: result.value.changed } : { ok: false, message: describeApiError(result.error) };
    }

    async revoke(userIds: readonly string[]): Promise<UserChangeResult> {
        const result = await this.send(timestamp => userIds.map((userId): Unlinked<Certificate> =>
            ({ kind: 'revoked_user', version: 1, author: this.session.device!.deviceId, timestamp, userId })),
        certificates => this.session.request('users.revoke', { certificates }));
        return result.ok ? { ok: true, count: result.value.revoked.length } : { ok: false, message: describeApiError(result.error) };
    }

    protected send<T>(make: (timestamp: number) => Unlinked<Certificate>[], post: (certificates: SignedCertificate[]) => Promise<Reply<T>>): Promise<Reply<T>> {
        return this.session.sendAtLogHead(async (position: LogPosition): Promise<Reply<T>> => {
            const signed = this.session.device && this.session.signCertificates(linkCertificates(make(position.timestamp), position.previous));
            if (!signed) {
                return { ok: false, error: { code: 'NOT_ALLOWED', message: nls.localize('vouch/users/locked', 'Unlock this device first.') } };
            }
            return post(signed);
        });
    }
}
