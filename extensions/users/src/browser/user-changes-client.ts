import { nls } from '@theia/core';
import { inject, injectable } from '@theia/core/shared/inversify';
import { Certificate, Reply, SignedCertificate, UserProfile } from '@vouch/protocol';
import { VouchSession } from '@vouch/core/lib/browser/vouch-session';
import { sendWithLaterTimestamp } from '@vouch/core/lib/common/later-timestamp';
import { describeApiError } from '@vouch/core/lib/common/api-error-messages';

/** How often a batch is re-signed after losing the race for the organization's newest timestamp. */
const TIMESTAMP_RETRIES = 3;

export type UserChangeResult = { readonly ok: true; readonly count: number } | { readonly ok: false; readonly message: string };

/**
 * Signs profile changes and revocations on this device and sends each selection as one batch
 * (the server applies it all or none). Certificates are dated now; when another change was
 * stored with a later date first, the batch is signed again after it.
 */
@injectable()
export class UserChangesClient {
    @inject(VouchSession) protected readonly session: VouchSession;

    async changeProfiles(userIds: readonly string[], newProfile: UserProfile): Promise<UserChangeResult> {
        const result = await this.send(timestamp => userIds.map((userId): Certificate =>
            ({ kind: 'user_update', version: 1, author: this.session.device!.deviceId, timestamp, userId, newProfile })),
        certificates => this.session.request('users.changeProfiles', { certificates }));
        return result.ok ? { ok: true, count: result.value.changed } : { ok: false, message: describeApiError(result.error) };
    }

    async revoke(userIds: readonly string[]): Promise<UserChangeResult> {
        const result = await this.send(timestamp => userIds.map((userId): Certificate =>
            ({ kind: 'revoked_user', version: 1, author: this.session.device!.deviceId, timestamp, userId })),
        certificates => this.session.request('users.revoke', { certificates }));
        return result.ok ? { ok: true, count: result.value.revoked.length } : { ok: false, message: describeApiError(result.error) };
    }

    protected send<T>(make: (timestamp: number) => Certificate[], post: (certificates: SignedCertificate[]) => Promise<Reply<T>>): Promise<Reply<T>> {
        return sendWithLaterTimestamp(async (timestamp): Promise<Reply<T>> => {
            const signed = this.session.device && this.session.signCertificates(make(timestamp));
            if (!signed) {
                return { ok: false, error: { code: 'NOT_ALLOWED', message: nls.localize('vouch/users/locked', 'Unlock this device first.') } };
            }
            return post(signed);
        }, TIMESTAMP_RETRIES);
    }
}
